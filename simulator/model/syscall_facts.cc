#include "simulator/model/syscall_facts.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "simulator/model/syscall_class.h"

namespace af::sim {
namespace {

template <typename T>
bool parse_int(std::string_view s, T& out, int base = 10) {
  if (base == 16 && (s.starts_with("0x") || s.starts_with("0X"))) s.remove_prefix(2);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

// An untrusted string: "quoted", hex, or a literal such as (null).
void decode_string(std::string_view value, std::string& out) {
  std::string scratch;
  out.assign(decode_value(value, value.empty() || value.front() != '(', scratch));
}

// "fd:00" -> major 0xfd, minor 0.
bool parse_dev(std::string_view v, uint32_t& major, uint32_t& minor) {
  size_t colon = v.find(':');
  return colon != std::string_view::npos && parse_int(v.substr(0, colon), major, 16) &&
         parse_int(v.substr(colon + 1), minor, 16);
}

// Types a syscall writes for itself; any other kernel record in a syscall event was logged
// by another subsystem during the syscall (AVC, LOGIN, CONFIG_CHANGE, ...).
bool is_syscall_aux(std::string_view type) {
  static constexpr std::string_view kAux[] = {
      "SYSCALL",        "PATH",           "CWD",         "EXECVE",
      "PROCTITLE",      "SOCKADDR",       "FD_PAIR",     "OBJ_PID",
      "BPRM_FCAPS",     "CAPSET",         "MMAP",        "IPC",
      "IPC_SET_PERM",   "SOCKETCALL",     "KERN_MODULE", "OPENAT2",
      "MQ_OPEN",        "MQ_SENDRECV",    "MQ_NOTIFY",   "MQ_GETSETATTR",
      "TIME_INJOFFSET", "TIME_ADJNTPVAL", "EOE",         "URINGOP"};
  // Checked for every record that is not SYSCALL, PATH or CWD: compare lengths first.
  for (std::string_view t : kAux)
    if (t.size() == type.size() && t == type) return true;
  return false;
}

// Which fact a SYSCALL field gives, by its name; Count for fields no rule reads.
Fact syscall_field(std::string_view name) {
  if (name.size() == 2 && name[0] == 'a' && name[1] >= '0' && name[1] <= '3')
    return static_cast<Fact>(static_cast<int>(Fact::A0) + (name[1] - '0'));
  switch (name.size()) {
    case 3:
      if (name == "pid") return Fact::Pid;
      if (name == "uid") return Fact::Uid;
      if (name == "gid") return Fact::Gid;
      if (name == "ses") return Fact::Ses;
      if (name == "exe") return Fact::Exe;
      if (name == "key") return Fact::Key;
      if (name == "per") return Fact::Items;  // per= is printed just before items=
      break;
    case 4:
      if (name == "arch") return Fact::Arch;
      if (name == "exit") return Fact::Exit;
      if (name == "ppid") return Fact::Ppid;
      if (name == "auid") return Fact::Auid;
      if (name == "euid") return Fact::Euid;
      if (name == "suid") return Fact::Suid;
      if (name == "egid") return Fact::Egid;
      if (name == "sgid") return Fact::Sgid;
      if (name == "subj") return Fact::Subj;
      break;
    case 5:
      if (name == "items") return Fact::Items;
      if (name == "fsuid") return Fact::Fsuid;
      if (name == "fsgid") return Fact::Fsgid;
      break;
    case 7:
      if (name == "syscall") return Fact::Syscall;
      if (name == "success") return Fact::Success;
      break;
    default:
      break;
  }
  return Fact::Count;
}

// Where a SYSCALL fact written as a decimal 32-bit number is kept; null for the others.
uint32_t* decimal_field(SyscallFacts& f, Fact fact) {
  switch (fact) {
    case Fact::Syscall:
      return &f.syscall;
    case Fact::Items:
      return &f.items;
    case Fact::Ppid:
      return &f.ppid;
    case Fact::Pid:
      return &f.pid;
    case Fact::Auid:
      return &f.auid;
    case Fact::Uid:
      return &f.uid;
    case Fact::Gid:
      return &f.gid;
    case Fact::Euid:
      return &f.euid;
    case Fact::Suid:
      return &f.suid;
    case Fact::Fsuid:
      return &f.fsuid;
    case Fact::Egid:
      return &f.egid;
    case Fact::Sgid:
      return &f.sgid;
    case Fact::Fsgid:
      return &f.fsgid;
    case Fact::Ses:
      return &f.ses;
    default:
      return nullptr;
  }
}

// The fields the kernel writes at the front of every SYSCALL record, in its order
// (audit_log_exit, then audit_log_task_info), each with its value's form.
enum class Form : uint8_t { Hex32, Hex64, Dec32, DecS64, YesNo };
struct KernelField {
  // "name=" (at most 8 bytes) as the little-endian number its bytes make, and which bytes
  // of an 8-byte load it covers: a field's name is then checked in one comparison.
  uint64_t word, mask;
  uint8_t size;
  Fact fact;
  Form form;
};
constexpr KernelField kernel_field(std::string_view prefix, Fact fact, Form form) {
  uint64_t word = 0;
  for (size_t i = 0; i < prefix.size(); ++i)
    word |= static_cast<uint64_t>(static_cast<unsigned char>(prefix[i])) << (8 * i);
  uint64_t mask = prefix.size() >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * prefix.size())) - 1;
  return {word, mask, static_cast<uint8_t>(prefix.size()), fact, form};
}
constexpr KernelField kKernelOrder[] = {
    kernel_field("arch=", Fact::Arch, Form::Hex32),
    kernel_field("syscall=", Fact::Syscall, Form::Dec32),
    kernel_field("success=", Fact::Success, Form::YesNo),
    kernel_field("exit=", Fact::Exit, Form::DecS64),
    kernel_field("a0=", Fact::A0, Form::Hex64),
    kernel_field("a1=", Fact::A1, Form::Hex64),
    kernel_field("a2=", Fact::A2, Form::Hex64),
    kernel_field("a3=", Fact::A3, Form::Hex64),
    kernel_field("items=", Fact::Items, Form::Dec32),
    kernel_field("ppid=", Fact::Ppid, Form::Dec32),
    kernel_field("pid=", Fact::Pid, Form::Dec32),
    kernel_field("auid=", Fact::Auid, Form::Dec32),
    kernel_field("uid=", Fact::Uid, Form::Dec32),
    kernel_field("gid=", Fact::Gid, Form::Dec32),
    kernel_field("euid=", Fact::Euid, Form::Dec32),
    kernel_field("suid=", Fact::Suid, Form::Dec32),
    kernel_field("fsuid=", Fact::Fsuid, Form::Dec32),
    kernel_field("egid=", Fact::Egid, Form::Dec32),
    kernel_field("sgid=", Fact::Sgid, Form::Dec32),
    kernel_field("fsgid=", Fact::Fsgid, Form::Dec32),
    kernel_field("tty=", Fact::Count, Form::Dec32),  // read by no rule: skipped
    kernel_field("ses=", Fact::Ses, Form::Dec32),
};

// Whether the bytes at p (8 of them readable) start with k's "name=".
bool starts_with_prefix(const char* p, const KernelField& k) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return (word & k.mask) == k.word;
}

// A value of `form` at p, which must be followed by ' ' or the end; moves p past it. Only
// the spellings the kernel writes are taken (digits only, no "0x", no more digits than the
// type holds for certain); anything else returns false and is left to the general walk,
// which reads it as parse_int does.
bool take_value(const char*& p, const char* end, Form form, uint64_t& out) {
  const char* q = p;
  uint64_t v = 0;
  switch (form) {
    case Form::Hex32:
    case Form::Hex64: {
      const ptrdiff_t max = form == Form::Hex32 ? 8 : 16;
      for (; q < end && q - p < max; ++q) {
        unsigned c = static_cast<unsigned char>(*q), d;
        if (c - '0' <= 9)
          d = c - '0';
        else if ((c | 0x20) - 'a' <= 5)
          d = (c | 0x20) - 'a' + 10;
        else
          break;
        v = v << 4 | d;
      }
      if (q == p) return false;
      break;
    }
    case Form::Dec32:
    case Form::DecS64: {
      const bool negative = form == Form::DecS64 && q < end && *q == '-';
      if (negative) ++q;
      const char* digits = q;
      for (; q < end && q - digits < 18; ++q) {  // 18 digits fit any int64
        unsigned d = static_cast<unsigned char>(*q) - unsigned{'0'};
        if (d > 9) break;
        v = v * 10 + d;
      }
      if (q == digits || (form == Form::Dec32 && v > 0xffffffffu)) return false;
      if (negative) v = static_cast<uint64_t>(-static_cast<int64_t>(v));
      break;
    }
    case Form::YesNo:
      if (end - q >= 3 && q[0] == 'y' && q[1] == 'e' && q[2] == 's') {
        q += 3;
        v = 1;
      } else if (end - q >= 2 && q[0] == 'n' && q[1] == 'o') {
        q += 2;
      } else {
        return false;
      }
      break;
  }
  if (q < end && *q != ' ') return false;
  out = v;
  p = q;
  return true;
}

// Reads the fields at the front of `body` that are in the kernel's order and form, until
// `needs` are all read; returns where the general walk takes over.
const char* read_kernel_prefix(const char* p, const char* end, SyscallFacts& f,
                               const FactNeeds*& active, bool& resolved,
                               const NeedsFor* needs_for) {
  for (const KernelField& k : kKernelOrder) {
    if ((f.have & active->syscall) == active->syscall) break;
    if (static_cast<size_t>(end - p) < 8 || !starts_with_prefix(p, k)) break;
    const char* q = p + k.size;
    // A quoted value (never in these fields, but possible in a damaged line) may hold spaces:
    // the general walk reads it.
    if (q < end && (*q == '"' || *q == '\'')) break;
    if (k.fact == Fact::Count || !active->syscall.test(static_cast<size_t>(k.fact))) {
      // Not needed: skip the value as the general walk would.
      while (q < end && *q != ' ') ++q;
      p = q < end ? q + 1 : q;
      continue;
    }
    uint64_t v = 0;
    if (!take_value(q, end, k.form, v)) break;
    if (uint32_t* number = decimal_field(f, k.fact)) {
      *number = static_cast<uint32_t>(v);
    } else if (k.fact == Fact::Arch) {
      f.arch = static_cast<uint32_t>(v);
    } else if (k.fact == Fact::Success) {
      f.success = v != 0;
    } else if (k.fact == Fact::Exit) {
      f.exit = static_cast<int64_t>(v);
    } else {  // A0..A3
      f.args[static_cast<int>(k.fact) - static_cast<int>(Fact::A0)] = v;
    }
    f.have.set(static_cast<size_t>(k.fact));
    p = q < end ? q + 1 : q;
    if (k.fact == Fact::Syscall && !resolved && f.has(Fact::Arch)) {
      active = &(*needs_for)(f.arch, f.syscall);
      resolved = true;
    }
  }
  return p;
}

// Returns the needs in force at the end: `needs`, or needs_for(arch, syscall) once both are read.
const FactNeeds& read_syscall(std::string_view body, SyscallFacts& f, const FactNeeds& general,
                              const NeedsFor* needs_for) {
  const FactNeeds* active = &general;
  bool resolved = needs_for == nullptr;
  const char* end = body.data() + body.size();
  const char* rest = read_kernel_prefix(body.data(), end, f, active, resolved, needs_for);
  FieldCursor cursor(std::string_view(rest, static_cast<size_t>(end - rest)));
  std::string_view name, value;
  // The fields come in a fixed order and the ones a rule set needs are usually at the front
  // (arch, syscall, success, exit, a0-a3, items, ids): stop once all of them are read, and
  // parse none that nothing reads.
  while ((f.have & active->syscall) != active->syscall && cursor.next(name, value)) {
    if (!resolved && f.has(Fact::Arch) && f.has(Fact::Syscall)) {
      active = &(*needs_for)(f.arch, f.syscall);
      resolved = true;
      if ((f.have & active->syscall) == active->syscall) break;
    }
    Fact fact = syscall_field(name);
    // A field the record repeats (only malformed ones do) counts once: its first value,
    // however far the parse goes.
    if (fact == Fact::Count || !active->syscall.test(static_cast<size_t>(fact)) || f.has(fact))
      continue;
    if (fact == Fact::Items && name == "per") {
      parse_int(value, f.pers, 16);
      continue;
    }
    if (uint32_t* number = decimal_field(f, fact)) {
      if (parse_int(value, *number)) f.have.set(static_cast<size_t>(fact));
      continue;
    }
    switch (fact) {
      case Fact::A0:
      case Fact::A1:
      case Fact::A2:
      case Fact::A3: {
        int n = static_cast<int>(fact) - static_cast<int>(Fact::A0);
        if (parse_int(value, f.args[n], 16)) f.have.set(static_cast<size_t>(fact));
        break;
      }
      case Fact::Arch:
        if (parse_int(value, f.arch, 16)) f.have.set(static_cast<size_t>(fact));
        break;
      case Fact::Success:
        f.success = value == "yes";
        f.have.set(static_cast<size_t>(fact));
        break;
      case Fact::Exit:
        if (parse_int(value, f.exit)) f.have.set(static_cast<size_t>(fact));
        break;
      case Fact::Exe:
        decode_string(value, f.exe);
        f.have.set(static_cast<size_t>(fact));
        break;
      case Fact::Subj:
        f.subj.assign(value);
        f.have.set(static_cast<size_t>(fact));
        break;
      case Fact::Key:
        if (value != "(null)") decode_string(value, f.recorded_key);
        f.have.set(static_cast<size_t>(fact));
        break;
      default:  // decimal numbers, read above
        break;
    }
  }
  if (!resolved && f.has(Fact::Arch) && f.has(Fact::Syscall))
    active = &(*needs_for)(f.arch, f.syscall);
  return *active;
}

void read_path(std::string_view body, PathItem& p) {
  FieldCursor cursor(body);
  std::string_view name, value;
  bool have_inode = false, have_dev = false, have_mode = false;
  while (cursor.next(name, value)) {
    if (name == "item")
      parse_int(value, p.item);
    else if (name == "name") {
      if (value != "(null)") decode_string(value, p.name);
    } else if (name == "inode")
      have_inode = parse_int(value, p.inode);
    else if (name == "dev")
      have_dev = parse_dev(value, p.dev_major, p.dev_minor);
    else if (name == "mode")
      have_mode = parse_int(value, p.mode, 8);
    else if (name == "ouid")
      parse_int(value, p.ouid);
    else if (name == "ogid")
      parse_int(value, p.ogid);
    else if (name == "rdev")
      parse_dev(value, p.rdev_major, p.rdev_minor);
    else if (name == "obj")
      p.obj.assign(value);
    else if (name == "nametype" || name == "objtype")
      p.nametype.assign(value);
  }
  p.has_inode = have_inode && have_dev && have_mode;
}

}  // namespace

void SyscallFacts::clear() {
  have.reset();
  has_syscall_record = false;
  arch = syscall = 0;
  success = false;
  exit = 0;
  for (uint64_t& a : args) a = 0;
  items = ppid = pid = auid = uid = gid = euid = suid = fsuid = egid = sgid = fsgid = ses = pers =
      0;
  exe.clear();
  subj.clear();
  recorded_key.clear();
  has_cwd = false;
  cwd.clear();
  paths.clear();
  has_saddr = false;
  saddr_fam = 0;
  has_openat2 = false;
  openat2_flags = 0;
  forcing_record.clear();
}

namespace {

// Whether an absolute name is already in normal form: no empty, "." or ".." component and
// no trailing '/' (most names in PATH records are).
bool is_normal_absolute(std::string_view name) {
  if (name.empty() || name.front() != '/') return false;
  if (name.size() == 1) return true;
  if (name.back() == '/') return false;
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] != '/') continue;
    char next = name[i + 1];
    if (next == '/') return false;
    if (next == '.') {
      size_t j = i + 2;
      if (j == name.size() || name[j] == '/') return false;                              // "/."
      if (name[j] == '.' && (j + 1 == name.size() || name[j + 1] == '/')) return false;  // "/.."
    }
  }
  return true;
}

}  // namespace

std::string resolve_path(std::string_view name, std::string_view cwd) {
  if (name.empty()) return {};
  if (is_normal_absolute(name)) return std::string(name);
  std::string joined;
  if (name.front() == '/') {
    joined.assign(name);
  } else {
    if (cwd.empty() || cwd.front() != '/') return {};
    joined.assign(cwd);
    joined += '/';
    joined.append(name);
  }
  // Lexical normalisation; symlinks cannot be known from the log.
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    out += '/';
    out.append(part);
  }
  return out.empty() ? "/" : out;
}

FactNeeds FactNeeds::all() {
  FactNeeds n;
  n.syscall.set();
  n.paths = n.cwd = n.sockaddr = n.openat2 = true;
  return n;
}

FactNeeds& FactNeeds::operator|=(const FactNeeds& o) {
  syscall |= o.syscall;
  paths |= o.paths;
  cwd |= o.cwd;
  sockaddr |= o.sockaddr;
  openat2 |= o.openat2;
  return *this;
}

bool extract_syscall_facts(const Event& event, SyscallFacts& f, const FactNeeds& general,
                           const NeedsFor* needs_for) {
  f.clear();
  // The SYSCALL record first (it is usually the first record): it tells what the others are
  // needed for.
  const Record* syscall = nullptr;
  for (const Record& r : event.records)
    if (r.kind == RecordKind::Syscall) {
      syscall = &r;
      break;
    }
  if (!syscall) return false;
  f.has_syscall_record = true;
  const FactNeeds& needs = read_syscall(syscall->body, f, general, needs_for);
  for (const Record& r : event.records) {
    if (&r == syscall || r.kind == RecordKind::Syscall) {
      continue;
    } else if (r.kind == RecordKind::Path) {
      if (!needs.paths) continue;
      f.paths.emplace_back();
      read_path(r.body, f.paths.back());
    } else if (r.kind == RecordKind::Cwd) {
      if (!needs.cwd) continue;
      FieldCursor cursor(r.body);
      std::string_view name, value;
      while (cursor.next(name, value))
        if (name == "cwd") {
          decode_string(value, f.cwd);
          f.has_cwd = true;
        }
    } else if (r.kind == RecordKind::Sockaddr) {
      if (!needs.sockaddr) continue;
      FieldCursor cursor(r.body);
      std::string_view name, value;
      while (cursor.next(name, value)) {
        // The family is the first two bytes of the raw sockaddr, in host (little) order.
        uint32_t lo = 0, hi = 0;
        if (name == "saddr" && value.size() >= 4 && parse_int(value.substr(0, 2), lo, 16) &&
            parse_int(value.substr(2, 2), hi, 16)) {
          f.saddr_fam = lo | hi << 8;
          f.has_saddr = true;
        }
      }
    } else if (r.kind == RecordKind::Openat2) {
      if (!needs.openat2) continue;
      FieldCursor cursor(r.body);
      std::string_view name, value;
      while (cursor.next(name, value))
        if (name == "oflag") f.has_openat2 = parse_int(value, f.openat2_flags, 8);
    } else if (f.forcing_record.empty() && r.kind == RecordKind::Other && !is_syscall_aux(r.type)) {
      f.forcing_record.assign(r.type);
    }
  }
  // PATH records may come in any order when events interleave; the kernel tries them by item.
  std::sort(f.paths.begin(), f.paths.end(),
            [](const PathItem& a, const PathItem& b) { return a.item < b.item; });
  // *at syscalls resolve a relative name against a directory fd; the log shows only the fd.
  if (f.paths.empty()) return true;
  const SyscallInfo& info = syscall_info(f.arch, f.syscall);
  auto not_cwd = [&](int arg) {
    return arg >= 0 && static_cast<uint32_t>(f.args[arg]) != 0xffffff9cu;  // AT_FDCWD
  };
  const bool dirfd = not_cwd(info.dirfd_arg) || not_cwd(info.dirfd_arg2);
  for (PathItem& p : f.paths) {
    p.dirfd_relative = dirfd && !p.name.empty() && p.name.front() != '/';
    if (p.nametype == "PARENT" && p.name.find('/') == std::string::npos) {
      // A PARENT item of a name without '/' stands for the current directory.
      p.resolved = f.has_cwd ? resolve_path(".", f.cwd) : std::string();
    } else {
      p.resolved = resolve_path(p.name, f.has_cwd ? std::string_view(f.cwd) : std::string_view());
    }
  }
  return true;
}

}  // namespace af::sim
