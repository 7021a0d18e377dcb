#include "simulator/eval/field_match.h"

#include <sys/stat.h>

#include "compiler/sema/field_table.h"
#include "compiler/tables/tables.h"
#include "simulator/model/syscall_class.h"

namespace af::sim {
namespace {

constexpr uint32_t kUnset = 4294967295u;

// Explanations of a false field are only built for --explain: replaying gigabytes must not
// format a string for every rule tried.
thread_local bool t_explain = false;

FieldResult yes() { return {Tri::True, {}}; }
FieldResult no() { return {Tri::False, {}}; }
FieldResult no(const char* why) {
  return {Tri::False, t_explain ? std::string(why) : std::string()};
}
template <typename Why>
FieldResult no(Why why) {
  return {Tri::False, t_explain ? std::string(why()) : std::string()};
}
FieldResult unknown(std::string why) { return {Tri::Unknown, std::move(why)}; }
FieldResult of(bool b) { return b ? yes() : no(); }
template <typename Why>
FieldResult of(bool b, Why why) {
  return b ? yes() : no(why);
}

// A SYSCALL record value the rule needs; Unknown when the record does not carry it.
FieldResult compare_fact(const SyscallFacts& f, Fact fact, uint32_t value, const ir::Field& field,
                         const char* name) {
  if (!f.has(fact)) return unknown(std::string("the SYSCALL record has no ") + name + "=");
  return of(compare_u32(value, field.op, field.value),
            [&] { return std::string(name) + "=" + std::to_string(value); });
}

uint32_t subject_value(const SyscallFacts& f, uint32_t field_id, bool& known) {
  known = true;
  switch (field_id) {
    case AUDIT_UID:
      known = f.has(Fact::Uid);
      return f.uid;
    case AUDIT_EUID:
      known = f.has(Fact::Euid);
      return f.euid;
    case AUDIT_SUID:
      known = f.has(Fact::Suid);
      return f.suid;
    case AUDIT_FSUID:
      known = f.has(Fact::Fsuid);
      return f.fsuid;
    case AUDIT_GID:
      known = f.has(Fact::Gid);
      return f.gid;
    case AUDIT_EGID:
      known = f.has(Fact::Egid);
      return f.egid;
    case AUDIT_SGID:
      known = f.has(Fact::Sgid);
      return f.sgid;
    case AUDIT_FSGID:
      known = f.has(Fact::Fsgid);
      return f.fsgid;
    case AUDIT_LOGINUID:
      known = f.has(Fact::Auid);
      return f.auid;
    default:
      known = false;
      return 0;
  }
}

// Object fields look at the one name being tried (watch pass) or at every name; names that
// did not resolve to an object have no owner, device or mode.
template <typename Test>
FieldResult any_name(const SyscallFacts& f, const PathItem* only, Test test) {
  if (only) return of(only->has_inode && test(*only));
  for (const PathItem& p : f.paths)
    if (p.has_inode && test(p)) return yes();
  if (f.paths.empty() && f.items > 0)
    return unknown("the event has no PATH records for its " + std::to_string(f.items) + " items");
  return no();
}

// Why a PATH name cannot be placed in the tree: relative to a directory fd the log does not
// show, or relative with no CWD record (excluded or lost).
std::string unplaceable(const SyscallFacts& f, const PathItem& p) {
  const std::string_view why = !f.has_cwd && !p.name.empty() && p.name.front() != '/'
                                   ? "\" is relative and the event has no CWD record"
                                   : "\" is relative to a directory the log does not show";
  std::string text = "the PATH name \"";
  text.reserve(text.size() + p.name.size() + why.size());
  return text.append(p.name).append(why);
}

bool under_unknown_dirfd(const SyscallFacts&, const PathItem& p) { return p.dirfd_relative; }

bool path_under(std::string_view path, std::string_view dir) {
  if (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (!path.starts_with(dir)) return false;
  return path.size() == dir.size() || dir == "/" || path[dir.size()] == '/';
}

FieldResult match_watch(const ir::Field& field, const SyscallFacts& f, const PathItem* only) {
  if (!only) return unknown("path= outside the watch pass");
  if (!only->has_inode) return no([&] { return only->name + " did not resolve to a file"; });
  if (only->resolved.empty() || under_unknown_dirfd(f, *only)) {
    // The directory is unknown, but the name's last component must still be the watched
    // file's: names are compared, not inodes, here as for absolute names.
    if (last_component(only->name) != last_component(field.text))
      return no([&] { return only->name + " has another file name"; });
    return unknown(unplaceable(f, *only));
  }
  // RuleBook keeps path= and dir= values normalised (resolve_path), as names are.
  return of(only->resolved == field.text, [&] { return only->resolved; });
}

FieldResult match_dir(const ir::Field& field, const SyscallFacts& f, const PathItem* only) {
  const std::string& dir = field.text;
  const PathItem* uncertain = nullptr;  // the last name that cannot be placed
  auto test = [&](const PathItem& p) {
    if (!p.has_inode) return false;
    if (p.resolved.empty() || under_unknown_dirfd(f, p)) {
      uncertain = &p;
      return false;
    }
    return path_under(p.resolved, dir);
  };
  if (only) return of(test(*only));
  for (const PathItem& p : f.paths)
    if (test(p)) return yes();
  if (uncertain) return unknown(unplaceable(f, *uncertain));
  if (f.paths.empty() && f.items > 0)
    return unknown("the event has no PATH records for its " + std::to_string(f.items) + " items");
  return no();
}

FieldResult match_perm(const ir::Field& field, const SyscallFacts& f) {
  const SyscallInfo& info = syscall_info(f.arch, f.syscall);
  if (!info.known)
    return unknown("syscall " + std::to_string(f.syscall) + " is unknown on this arch");
  uint32_t mask = field.value;
  // ACC_MODE: O_RDONLY -> read, O_WRONLY -> write, O_RDWR (and 3) -> both.
  auto acc_mode = [](uint64_t flags) -> uint32_t {
    static constexpr uint32_t kModes[4] = {AUDIT_PERM_READ, AUDIT_PERM_WRITE,
                                           AUDIT_PERM_READ | AUDIT_PERM_WRITE,
                                           AUDIT_PERM_READ | AUDIT_PERM_WRITE};
    return kModes[flags & 3];
  };
  switch (info.perm_class) {
    case PermClass::Open:
      return of(mask & acc_mode(f.args[1]));
    case PermClass::OpenAt:
      return of(mask & acc_mode(f.args[2]));
    case PermClass::OpenAt2:
      if ((mask & (AUDIT_PERM_READ | AUDIT_PERM_WRITE)) == 0) return no();
      if (!f.has_openat2) return unknown("openat2 without an OPENAT2 record (its flags)");
      return of(mask & acc_mode(f.openat2_flags));
    case PermClass::Execve:
      return of(mask & AUDIT_PERM_EXEC);
    case PermClass::SocketCall:
      return of((mask & AUDIT_PERM_WRITE) && f.args[0] == 2);
    case PermClass::Other:
      return of(((mask & AUDIT_PERM_WRITE) && info.write) ||
                ((mask & AUDIT_PERM_READ) && info.read) || ((mask & AUDIT_PERM_ATTR) && info.attr));
  }
  return no();
}

// SELinux-style "user:role:type:level" labels: user, role and type compare as strings; the
// sensitivity and clearance need the policy's dominance rules.
FieldResult match_label(const ir::Field& field, std::string_view label, int component) {
  if (label.empty()) return no("no LSM label recorded");
  if (component >= 3) return unknown("MLS levels need the LSM policy");
  std::string_view rest = label;
  for (int i = 0; i < component; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos)
      return unknown("the label \"" + std::string(label) + "\" is not user:role:type");
    rest.remove_prefix(colon + 1);
  }
  std::string_view part = rest.substr(0, rest.find(':'));
  if (field.op != ir::Op::Equal && field.op != ir::Op::NotEqual)
    return unknown("label order needs the LSM");
  return of((part == field.text) == (field.op == ir::Op::Equal));
}

}  // namespace

std::string_view last_component(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool perm_never_holds(const ir::Field& field, uint32_t arch, uint32_t syscall) {
  if (field.id != AUDIT_PERM || field.op != ir::Op::Equal) return false;
  const SyscallInfo& info = syscall_info(arch, syscall);
  if (!info.known) return false;
  const uint32_t mask = field.value;
  switch (info.perm_class) {
    case PermClass::Open:
    case PermClass::OpenAt:
    case PermClass::OpenAt2:
      return (mask & (AUDIT_PERM_READ | AUDIT_PERM_WRITE)) == 0;
    case PermClass::Execve:
      return (mask & AUDIT_PERM_EXEC) == 0;
    case PermClass::SocketCall:
      return (mask & AUDIT_PERM_WRITE) == 0;
    case PermClass::Other:
      return !(((mask & AUDIT_PERM_WRITE) && info.write) ||
               ((mask & AUDIT_PERM_READ) && info.read) || ((mask & AUDIT_PERM_ATTR) && info.attr));
  }
  return false;
}

bool name_is_placed(const SyscallFacts& f, const PathItem& p) {
  return !p.resolved.empty() && !under_unknown_dirfd(f, p);
}

ExplainScope::ExplainScope(bool on) : previous_(t_explain) { t_explain = on; }
ExplainScope::~ExplainScope() { t_explain = previous_; }
bool ExplainScope::active() { return t_explain; }

bool compare_u32(uint32_t left, ir::Op op, uint32_t right) {
  switch (op) {
    case ir::Op::Equal:
      return left == right;
    case ir::Op::NotEqual:
      return left != right;
    case ir::Op::Less:
      return left < right;
    case ir::Op::Greater:
      return left > right;
    case ir::Op::LessEqual:
      return left <= right;
    case ir::Op::GreaterEqual:
      return left >= right;
    case ir::Op::BitMask:
      return (left & right) != 0;
    case ir::Op::BitTest:
      return (left & right) == right;
  }
  return false;
}

std::string field_text(const ir::Field& field) {
  if (field.id == AUDIT_FIELD_COMPARE) {
    if (auto c = sema::comparison_by_code(field.value))
      return std::string(c->left_name) + std::string(ir::op_symbol(field.op)) +
             std::string(c->right_name);
    return "compare#" + std::to_string(field.value);
  }
  std::string name(tables::field_name(field.id).value_or("field#" + std::to_string(field.id)));
  std::string value;
  if (sema::is_string_field(field.id))
    value = field.text;
  else if (field.id == AUDIT_PERM)
    value = ir::perm_letters(field.value);
  else if (field.id == AUDIT_EXIT)
    value = std::to_string(static_cast<int32_t>(field.value));
  else if (field.id == AUDIT_LOGINUID && field.value == kUnset)
    value = "unset";
  else
    value = std::to_string(field.value);
  return name + std::string(ir::op_symbol(field.op)) + value;
}

FieldResult match_field(const ir::Field& field, const SyscallFacts& f, const PathItem* name,
                        FilterContext context) {
  const bool task = context == FilterContext::Task;
  const bool no_syscall = context != FilterContext::Exit;
  switch (field.id) {
    case AUDIT_PID:
      return compare_fact(f, Fact::Pid, f.pid, field, "pid");
    case AUDIT_UID:
      return compare_fact(f, Fact::Uid, f.uid, field, "uid");
    case AUDIT_EUID:
      return compare_fact(f, Fact::Euid, f.euid, field, "euid");
    case AUDIT_SUID:
      return compare_fact(f, Fact::Suid, f.suid, field, "suid");
    case AUDIT_FSUID:
      return compare_fact(f, Fact::Fsuid, f.fsuid, field, "fsuid");
    case AUDIT_SGID:
      return compare_fact(f, Fact::Sgid, f.sgid, field, "sgid");
    case AUDIT_FSGID:
      return compare_fact(f, Fact::Fsgid, f.fsgid, field, "fsgid");
    case AUDIT_GID:
    case AUDIT_EGID: {
      // = and != also consult the supplementary groups, which the log does not record.
      bool is_gid = field.id == AUDIT_GID;
      Fact fact = is_gid ? Fact::Gid : Fact::Egid;
      uint32_t value = is_gid ? f.gid : f.egid;
      const char* label = is_gid ? "gid" : "egid";
      FieldResult r = compare_fact(f, fact, value, field, label);
      if (r.value == Tri::Unknown) return r;
      bool primary_equal = value == field.value;
      if ((field.op == ir::Op::Equal && !primary_equal) ||
          (field.op == ir::Op::NotEqual && !primary_equal))
        return unknown("supplementary groups are not logged (the event's " + std::string(label) +
                       " is " + std::to_string(value) + ")");
      return r;
    }
    case AUDIT_LOGINUID:
      // The kernel turns the legacy "auid=-1" into a test of whether the loginuid is set.
      if (field.value == kUnset) {
        if (!f.has(Fact::Auid)) return unknown("the SYSCALL record has no auid=");
        return of(compare_u32(f.auid != kUnset ? 1 : 0, field.op, 0),
                  [&] { return "auid=" + std::to_string(f.auid); });
      }
      return compare_fact(f, Fact::Auid, f.auid, field, "auid");
    case AUDIT_LOGINUID_SET:
      if (!f.has(Fact::Auid)) return unknown("the SYSCALL record has no auid=");
      return of(compare_u32(f.auid != kUnset ? 1 : 0, field.op, field.value),
                [&] { return "auid=" + std::to_string(f.auid); });
    case AUDIT_SESSIONID:
      return compare_fact(f, Fact::Ses, f.ses, field, "ses");
    case AUDIT_PERS:
      return of(compare_u32(f.pers, field.op, field.value),
                [&] { return "per=" + std::to_string(f.pers); });
    case AUDIT_SUBJ_USER:
    case AUDIT_SUBJ_ROLE:
    case AUDIT_SUBJ_TYPE:
    case AUDIT_SUBJ_SEN:
    case AUDIT_SUBJ_CLR:
      return match_label(field, f.subj, static_cast<int>(field.id - AUDIT_SUBJ_USER));
    case AUDIT_EXE: {
      if (task && f.has(Fact::Syscall) && syscall_name_on(f.arch, f.syscall).starts_with("execve"))
        return unknown("exe at fork is the parent's image, which an execve event does not show");
      if (!f.has(Fact::Exe)) return unknown("the SYSCALL record has no exe=");
      bool same = f.exe == field.text;
      return of(field.op == ir::Op::NotEqual ? !same : same, [&] { return "exe=" + f.exe; });
    }
    case AUDIT_FILTERKEY:
      return yes();
    default:
      break;
  }
  // Everything below needs the syscall's context, which does not exist at fork.
  if (no_syscall) {
    if ((field.id == AUDIT_PERM || field.id == AUDIT_FILETYPE) && field.op == ir::Op::NotEqual)
      return yes();
    return no("no syscall data at fork");
  }
  switch (field.id) {
    case AUDIT_ARCH:
      return compare_fact(f, Fact::Arch, f.arch, field, "arch");
    case AUDIT_PPID:
      return compare_fact(f, Fact::Ppid, f.ppid, field, "ppid");
    case AUDIT_ARG0:
    case AUDIT_ARG1:
    case AUDIT_ARG2:
    case AUDIT_ARG3: {
      int n = static_cast<int>(field.id - AUDIT_ARG0);
      static constexpr const char* kNames[] = {"a0", "a1", "a2", "a3"};
      // Only the low 32 bits take part (the comparator is u32).
      return compare_fact(f, static_cast<Fact>(static_cast<int>(Fact::A0) + n),
                          static_cast<uint32_t>(f.args[n]), field, kNames[n]);
    }
    case AUDIT_EXIT:
      if (!f.has(Fact::Exit)) return no("the syscall did not return (no exit=)");
      return of(compare_u32(static_cast<uint32_t>(f.exit), field.op, field.value),
                [&] { return "exit=" + std::to_string(f.exit); });
    case AUDIT_SUCCESS:
      if (!f.has(Fact::Success)) return no("the syscall did not return (no success=)");
      return of(compare_u32(f.success ? 1 : 0, field.op, field.value != 0 ? 1 : 0),
                [&] { return f.success ? "success=yes" : "success=no"; });
    case AUDIT_DEVMAJOR:
      return any_name(f, name, [&](const PathItem& p) {
        return compare_u32(p.dev_major, field.op, field.value) ||
               compare_u32(p.rdev_major, field.op, field.value);
      });
    case AUDIT_DEVMINOR:
      return any_name(f, name, [&](const PathItem& p) {
        return compare_u32(p.dev_minor, field.op, field.value) ||
               compare_u32(p.rdev_minor, field.op, field.value);
      });
    case AUDIT_INODE:
      return any_name(f, name, [&](const PathItem& p) {
        return compare_u32(static_cast<uint32_t>(p.inode), field.op, field.value);
      });
    case AUDIT_OBJ_UID:
      return any_name(
          f, name, [&](const PathItem& p) { return compare_u32(p.ouid, field.op, field.value); });
    case AUDIT_OBJ_GID:
      return any_name(
          f, name, [&](const PathItem& p) { return compare_u32(p.ogid, field.op, field.value); });
    case AUDIT_FILETYPE: {
      // Any name of that type; `!=` negates the whole test.
      FieldResult r =
          any_name(f, nullptr, [&](const PathItem& p) { return (p.mode & S_IFMT) == field.value; });
      if (r.value == Tri::Unknown || field.op != ir::Op::NotEqual) return r;
      return of(r.value == Tri::False);
    }
    case AUDIT_OBJ_USER:
    case AUDIT_OBJ_ROLE:
    case AUDIT_OBJ_TYPE:
    case AUDIT_OBJ_LEV_LOW:
    case AUDIT_OBJ_LEV_HIGH: {
      int component = static_cast<int>(field.id - AUDIT_OBJ_USER);
      bool uncertain = false;
      for (const PathItem& p : f.paths) {
        if (name && &p != name) continue;
        FieldResult r = match_label(field, p.obj, component);
        if (r.value == Tri::True) return r;
        if (r.value == Tri::Unknown) uncertain = true;
      }
      return uncertain ? unknown("object labels need the LSM policy") : no();
    }
    case AUDIT_SADDR_FAM:
      if (!f.has_saddr) return no("no SOCKADDR record");
      return of(compare_u32(f.saddr_fam, field.op, field.value),
                [&] { return "saddr_fam=" + std::to_string(f.saddr_fam); });
    case AUDIT_WATCH:
      return match_watch(field, f, name);
    case AUDIT_DIR:
      return match_dir(field, f, name);
    case AUDIT_PERM:
      return match_perm(field, f);
    case AUDIT_FIELD_COMPARE: {
      auto cmp = sema::comparison_by_code(field.value);
      if (!cmp) return unknown("unknown -C comparison " + std::to_string(field.value));
      bool known = false;
      uint32_t left = subject_value(f, cmp->left, known);
      if (!known)
        return unknown(std::string("the SYSCALL record has no ") + std::string(cmp->left_name) +
                       "=");
      if (cmp->right == AUDIT_OBJ_UID || cmp->right == AUDIT_OBJ_GID) {
        bool uid = cmp->right == AUDIT_OBJ_UID;
        return any_name(f, name, [&](const PathItem& p) {
          return compare_u32(left, field.op, uid ? p.ouid : p.ogid);
        });
      }
      uint32_t right = subject_value(f, cmp->right, known);
      if (!known)
        return unknown(std::string("the SYSCALL record has no ") + std::string(cmp->right_name) +
                       "=");
      return of(compare_u32(left, field.op, right));
    }
    case AUDIT_MSGTYPE:
      return unknown("msgtype on the exit list");
    case AUDIT_FSTYPE:
      return unknown("fstype outside the filesystem list");
    default:
      return unknown("field " + std::to_string(field.id) + " is not modelled");
  }
}

}  // namespace af::sim
