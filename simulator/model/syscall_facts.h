// What a recorded event tells about the syscall behind it: the SYSCALL record's numbers and
// credentials, CWD, PATH items, SOCKADDR and OPENAT2 data. Everything a rule field may test,
// decoded once per event; the evaluator never looks at text again.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/log/event_grouper.h"

namespace af::sim {

/// The SYSCALL record fields the evaluator reads, as bit positions of `SyscallFacts::have`.
enum class Fact : uint8_t {
  Arch,
  Syscall,
  Success,
  Exit,
  A0,
  A1,
  A2,
  A3,
  Items,
  Ppid,
  Pid,
  Auid,
  Uid,
  Gid,
  Euid,
  Suid,
  Fsuid,
  Egid,
  Sgid,
  Fsgid,
  Ses,
  Exe,
  Subj,
  Key,
  Count
};

struct PathItem {
  uint32_t item = 0;
  std::string name;             // decoded, as the program passed it
  std::string resolved;         // absolute and lexically normalised; empty when it cannot be known
  bool dirfd_relative = false;  // relative to a directory fd the log does not show
  std::string nametype;         // NORMAL, PARENT, CREATE, DELETE, UNKNOWN
  bool has_inode = false;       // the name resolved to an object (inode, dev, mode, ouid, ogid)
  uint64_t inode = 0;
  uint32_t dev_major = 0, dev_minor = 0, rdev_major = 0, rdev_minor = 0;
  uint32_t mode = 0, ouid = 0, ogid = 0;
  std::string obj;  // LSM label
};

struct SyscallFacts {
  std::bitset<static_cast<size_t>(Fact::Count)> have;
  bool has_syscall_record = false;
  uint32_t arch = 0, syscall = 0;
  bool success = false;  // with Fact::Success; absent for syscalls that never returned
  int64_t exit = 0;
  uint64_t args[4] = {};
  uint32_t items = 0, ppid = 0, pid = 0, auid = 0, uid = 0, gid = 0, euid = 0, suid = 0, fsuid = 0,
           egid = 0, sgid = 0, fsgid = 0, ses = 0, pers = 0;
  std::string exe, subj;
  std::string recorded_key;  // bytes of key=, empty for (null); input only, never a verdict
  bool has_cwd = false;
  std::string cwd;
  std::vector<PathItem> paths;  // in item order
  bool has_saddr = false;
  uint32_t saddr_fam = 0;
  bool has_openat2 = false;
  uint64_t openat2_flags = 0;
  // Kernel records of other subsystems inside the syscall (AVC, LOGIN, ...): they force a
  // SYSCALL record even when no rule matches (rules-semantics §5.4).
  std::string forcing_record;

  bool has(Fact f) const { return have.test(static_cast<size_t>(f)); }
  void clear();
};

/// What a replay needs from each event, so that the reader parses no more than that: the
/// SYSCALL fields (parsing stops once all are found) and whether PATH, CWD, SOCKADDR and
/// OPENAT2 records matter. Rule sets say what they need (RuleBook::needs).
struct FactNeeds {
  std::bitset<static_cast<size_t>(Fact::Count)> syscall;
  bool paths = false, cwd = false, sockaddr = false, openat2 = false;

  static FactNeeds all();
  bool empty() const { return syscall.none() && !paths && !cwd && !sockaddr && !openat2; }
  FactNeeds& operator|=(const FactNeeds& o);
};

/// The needs for one syscall (arch, number), once the SYSCALL record has told which it is:
/// rule sets need less for most syscalls than for all of them.
using NeedsFor = std::function<const FactNeeds&(uint32_t arch, uint32_t syscall)>;

/// Fills `out` from the records of `event`; false when the event has no SYSCALL record.
/// Facts outside `needs` (or, when given, `needs_for` the event's syscall) may be left
/// unparsed (their `have` bit clear).
bool extract_syscall_facts(const Event& event, SyscallFacts& out,
                           const FactNeeds& needs = FactNeeds::all(),
                           const NeedsFor* needs_for = nullptr);

/// Resolves a logged name against a directory ("" when unknown) and removes "." and ".."
/// components and repeated or trailing slashes. Returns "" when the result cannot be known.
std::string resolve_path(std::string_view name, std::string_view cwd);

}  // namespace af::sim
