#include "compiler/tables/tables.h"

#include <libaudit.h>

namespace af::tables {
namespace {

// libaudit takes NUL-terminated strings; names are short, so copying is cheap.
std::string z(std::string_view s) { return std::string(s); }

std::optional<std::string_view> view(const char* p) {
  if (!p) return std::nullopt;
  return std::string_view(p);
}

}  // namespace

std::optional<uint32_t> field_id(std::string_view name) {
  int v = audit_name_to_field(z(name).c_str());
  if (v < 0) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::optional<std::string_view> field_name(uint32_t id) {
  return view(audit_field_to_name(static_cast<int>(id)));
}

Machine host_machine() {
  static const Machine m = audit_detect_machine();
  return m;
}

std::optional<Machine> machine_from_name(std::string_view name) {
  int m = audit_name_to_machine(z(name).c_str());
  if (m < 0) return std::nullopt;
  return m;
}

std::optional<std::string_view> machine_name(Machine m) { return view(audit_machine_to_name(m)); }

std::optional<uint32_t> machine_to_arch(Machine m) {
  unsigned int elf = audit_machine_to_elf(m);
  if (elf == 0) return std::nullopt;
  return elf;
}

std::optional<Machine> arch_to_machine(uint32_t arch) {
  int m = audit_elf_to_machine(arch);
  if (m < 0) return std::nullopt;
  return m;
}

const std::vector<Machine>& machines_with_syscalls() {
  // A machine has a table when libaudit can name syscall 0..N on it; probe a few numbers
  // because not every table starts at 0.
  static const std::vector<Machine> machines = [] {
    std::vector<Machine> out;
    for (Machine m = 0; m < 64; ++m) {
      if (!audit_machine_to_name(m)) continue;
      for (int nr = 0; nr < 64; ++nr) {
        if (audit_syscall_to_name(nr, m)) {
          out.push_back(m);
          break;
        }
      }
    }
    return out;
  }();
  return machines;
}

std::optional<Machine> compat_machine(Machine m) {
  switch (m) {
    case MACH_86_64:
      return MACH_X86;
    case MACH_PPC64:
    case MACH_PPC64LE:
      return MACH_PPC;
    case MACH_S390X:
      return MACH_S390;
    case MACH_AARCH64:
      return MACH_ARM;
    default:
      return std::nullopt;
  }
}

bool is_64bit_arch(uint32_t arch) { return (arch & __AUDIT_ARCH_64BIT) != 0; }

std::optional<uint32_t> syscall_number(std::string_view name, Machine m) {
  int nr = audit_name_to_syscall(z(name).c_str(), m);
  if (nr < 0) return std::nullopt;
  return static_cast<uint32_t>(nr);
}

std::optional<std::string_view> syscall_name(uint32_t number, Machine m) {
  return view(audit_syscall_to_name(static_cast<int>(number), m));
}

std::optional<uint32_t> msg_type(std::string_view name) {
  int t = audit_name_to_msg_type(z(name).c_str());
  if (t < 0) return std::nullopt;
  return static_cast<uint32_t>(t);
}

std::optional<std::string_view> msg_type_name(uint32_t type) {
  return view(audit_msg_type_to_name(static_cast<int>(type)));
}

std::optional<int> errno_number(std::string_view name) {
  int e = audit_name_to_errno(z(name).c_str());
  if (e == 0) return std::nullopt;
  return e < 0 ? -e : e;
}

std::optional<std::string_view> errno_name(int number) { return view(audit_errno_to_name(number)); }

std::optional<uint32_t> file_type(std::string_view name) {
  int t = audit_name_to_ftype(z(name).c_str());
  if (t < 0) return std::nullopt;
  return static_cast<uint32_t>(t);
}

std::optional<std::string_view> file_type_name(uint32_t mode) {
  return view(audit_ftype_to_name(static_cast<int>(mode)));
}

std::optional<uint32_t> fs_type(std::string_view name) {
  int t = audit_name_to_fstype(z(name).c_str());
  if (t == -1) return std::nullopt;
  return static_cast<uint32_t>(t);
}

std::optional<std::string_view> fs_type_name(uint32_t magic) {
  return view(audit_fstype_to_name(static_cast<int>(magic)));
}

std::optional<uint32_t> list_number(std::string_view name) {
  int f = audit_name_to_flag(z(name).c_str());
  if (f < 0) return std::nullopt;
  return static_cast<uint32_t>(f);
}

std::optional<std::string_view> list_name(uint32_t number) {
  return view(audit_flag_to_name(static_cast<int>(number)));
}

std::optional<uint32_t> action_number(std::string_view name) {
  int a = audit_name_to_action(z(name).c_str());
  if (a < 0) return std::nullopt;
  return static_cast<uint32_t>(a);
}

std::optional<std::string_view> action_name(uint32_t number) {
  return view(audit_action_to_name(static_cast<int>(number)));
}

}  // namespace af::tables
