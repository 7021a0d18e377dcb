#include "simulator/model/syscall_class.h"

#include <unordered_map>

#include "compiler/tables/tables.h"

namespace af::sim {
namespace {

bool in(std::string_view name, std::initializer_list<std::string_view> set) {
  for (std::string_view s : set)
    if (s == name) return true;
  return false;
}

// include/asm-generic/audit_dir_write.h and audit_write.h.
bool is_write(std::string_view n) {
  return in(n, {"rename",   "mkdir",      "rmdir",     "creat",       "link",     "unlink",
                "symlink",  "mknod",      "mkdirat",   "mknodat",     "unlinkat", "renameat",
                "linkat",   "symlinkat",  "renameat2", "acct",        "swapon",   "quotactl",
                "truncate", "truncate64", "ftruncate", "ftruncate64", "bind",     "fallocate"});
}

// audit_read.h (getxattrat and listxattrat from v6.13).
bool is_read(std::string_view n) {
  return in(n, {"readlink", "quotactl", "listxattr", "llistxattr", "flistxattr", "getxattr",
                "lgetxattr", "fgetxattr", "readlinkat", "getxattrat", "listxattrat"});
}

// audit_change_attr.h (setxattrat and removexattrat from v6.13; fchmodat2 from 2026).
bool is_attr(std::string_view n) {
  return in(
      n, {"chmod",      "fchmod",        "chown",       "lchown",       "fchown",       "setxattr",
          "lsetxattr",  "fsetxattr",     "removexattr", "lremovexattr", "fremovexattr", "fchownat",
          "fchmodat",   "chown32",       "fchown32",    "lchown32",     "link",         "linkat",
          "setxattrat", "removexattrat", "fchmodat2"});
}

SyscallInfo classify(uint32_t arch, uint32_t number) {
  SyscallInfo info;
  std::string_view name = syscall_name_on(arch, number);
  if (name.empty()) return info;
  info.known = true;
  info.name = name;
  if (name == "open")
    info.perm_class = PermClass::Open;
  else if (name == "openat")
    info.perm_class = PermClass::OpenAt;
  else if (name == "openat2")
    info.perm_class = PermClass::OpenAt2;
  else if (name == "execve" || name == "execveat")
    info.perm_class = PermClass::Execve;
  else if (name == "socketcall")
    info.perm_class = PermClass::SocketCall;
  info.write = is_write(name);
  info.read = is_read(name);
  info.attr = is_attr(name);
  // *at syscalls: a relative name is resolved against a directory fd the log does not name.
  if (name.ends_with("at") || name.ends_with("at2") || name == "statx" ||
      name == "name_to_handle_at" || name == "execveat") {
    if (name == "symlinkat")
      info.dirfd_arg = 1;  // target text, then newdirfd + linkpath
    else
      info.dirfd_arg = 0;
    if (name == "renameat" || name == "renameat2" || name == "linkat") info.dirfd_arg2 = 2;
  }
  return info;
}

}  // namespace

std::string_view syscall_name_on(uint32_t arch, uint32_t number) {
  auto machine = tables::arch_to_machine(arch);
  if (!machine) return {};
  if (auto name = tables::syscall_name(number, *machine)) return *name;
  // Syscalls from 424 on have one number on every arch; these are newer than the libaudit
  // tables of Debian 12 but matter for perm= (attribute and read classes).
  switch (number) {
    case 452:
      return "fchmodat2";
    case 463:
      return "setxattrat";
    case 464:
      return "getxattrat";
    case 465:
      return "listxattrat";
    case 466:
      return "removexattrat";
    case 468:
      return "file_getattr";
    case 469:
      return "file_setattr";
    default:
      return {};
  }
}

const SyscallInfo& syscall_info(uint32_t arch, uint32_t number) {
  // One cache per thread: replay threads look syscalls up for every event. The small table
  // in front holds the ones seen last (entries of the map never move).
  struct Recent {
    uint64_t key = UINT64_MAX;
    const SyscallInfo* info = nullptr;
  };
  thread_local std::unordered_map<uint64_t, SyscallInfo> cache;
  thread_local Recent recent[256];
  uint64_t key = static_cast<uint64_t>(arch) << 32 | number;
  Recent& slot = recent[(number ^ (arch >> 8)) & 255];
  if (slot.key == key) return *slot.info;
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, classify(arch, number)).first;
  slot = {key, &it->second};
  return it->second;
}

}  // namespace af::sim
