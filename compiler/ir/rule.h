// The intermediate representation of one kernel audit rule and of the control settings
// (-b, -f, -e, ...) that a rules file carries beside its rules. Plain data: every pass reads
// it, nothing here does I/O or knows about syntax.
#pragma once

#include <linux/audit.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/source_range.h"

namespace af::ir {

/// The kernel's filter lists (AUDIT_FILTER_*); the value is the list number on the wire.
enum class List : uint32_t {
  User = 0,
  Task = 1,
  Entry = 2,  // removed from the kernel; kept so that old files can be reported
  Watch = 3,  // never used by the kernel
  Exit = 4,
  Exclude = 5,
  Filesystem = 6,
  IoUring = 7,
};

/// AUDIT_NEVER, AUDIT_POSSIBLE (deprecated), AUDIT_ALWAYS.
enum class Action : uint32_t { Never = 0, Possible = 1, Always = 2 };

/// Operator codes as the kernel stores them in `fieldflags`.
enum class Op : uint32_t {
  Equal = AUDIT_EQUAL,
  NotEqual = AUDIT_NOT_EQUAL,
  Less = AUDIT_LESS_THAN,
  Greater = AUDIT_GREATER_THAN,
  LessEqual = AUDIT_LESS_THAN_OR_EQUAL,
  GreaterEqual = AUDIT_GREATER_THAN_OR_EQUAL,
  BitMask = AUDIT_BIT_MASK,  // (value & x) != 0
  BitTest = AUDIT_BIT_TEST,  // (value & x) == x
};

/// The syscall bitmap of `struct audit_rule_data`: syscall n is bit n%32 of word n/32.
struct SyscallMask {
  static constexpr uint32_t kWords = AUDIT_BITMASK_SIZE;  // 64
  static constexpr uint32_t kMaxSyscall = kWords * 32;    // 2048

  std::array<uint32_t, kWords> words{};

  void set(uint32_t nr) { words[nr / 32] |= 1u << (nr % 32); }
  bool test(uint32_t nr) const { return (words[nr / 32] >> (nr % 32)) & 1u; }
  /// Every syscall, as auditctl sets it: the top 16 bits of the last word are the kernel's
  /// syscall-class bits (2032..2047), which auditctl leaves clear.
  void set_all() {
    words.fill(~0u);
    words[kWords - 1] = 0x0000FFFFu;
  }
  /// True when every syscall bit is set. Word 63 holds the kernel's syscall-class bits,
  /// which auditctl's listing ignores (the kernel clears them after expanding classes).
  bool all() const {
    for (uint32_t i = 0; i + 1 < kWords; ++i)
      if (words[i] != ~0u) return false;
    return true;
  }
  friend bool operator==(const SyscallMask&, const SyscallMask&) = default;
};

/// One `-F`, `-C`, watch path or perm entry of a rule, in rule order. `value` holds the
/// number the kernel receives; string fields (path, dir, exe, subj_*, obj_*) keep `text`
/// and their `value` is the string's byte length on the wire.
struct Field {
  uint32_t id = 0;  // AUDIT_* field number (AUDIT_FIELD_COMPARE for -C)
  Op op = Op::Equal;
  uint32_t value = 0;
  std::string text;
  SourceRange range;

  friend bool operator==(const Field& a, const Field& b) {
    return a.id == b.id && a.op == b.op && a.value == b.value && a.text == b.text;
  }
};

/// A syscall named on a rule, kept for diagnostics and for the linter; `mask` is what the
/// kernel sees.
struct SyscallRef {
  uint32_t number = 0;
  std::string name;  // as written; empty when given as a number
  SourceRange range;
};

/// How a rule was written, so that diagnostics and converters can talk about the source.
enum class RuleForm : uint8_t {
  Append,   // -a
  Prepend,  // -A
  Delete,   // -d
  Watch,    // -w
  Unwatch,  // -W
};

/// Where an IR item came from.
struct Origin {
  SourceRange range;        // the whole line (or policy construct)
  std::string policy_rule;  // name of the policy rule that produced it, if any
  // The policy rule's metadata, for reports and the JSON target.
  std::string description;
  std::string severity;
  std::vector<std::string> tags;

  static Origin at(SourceRange r) {
    Origin o;
    o.range = r;
    return o;
  }
};

/// One kernel rule. Field order is significant: the kernel compares and lists fields in the
/// order they were given, and auditctl appends the key as the last field.
struct Rule {
  RuleForm form = RuleForm::Append;
  List list = List::Exit;
  Action action = Action::Always;
  SyscallMask mask;
  bool syscalls_given = false;  // an explicit -S (including -S all)
  std::vector<SyscallRef> syscalls;
  std::vector<Field> fields;      // every field except the key
  std::vector<std::string> keys;  // -k and -F key= values, joined with 0x01 on the wire
  SourceRange key_range;          // the first key
  uint32_t machine = 0;           // libaudit machine used to resolve syscall names
  Origin origin;

  bool is_prepend() const { return form == RuleForm::Prepend; }
  bool is_delete() const { return form == RuleForm::Delete || form == RuleForm::Unwatch; }
  /// The AUDIT_ARCH value of an `arch=` field, if the rule has one with `=`.
  std::optional<uint32_t> arch() const {
    for (const Field& f : fields)
      if (f.id == AUDIT_ARCH && f.op == Op::Equal) return f.value;
    return std::nullopt;
  }
  const Field* find(uint32_t field_id) const {
    for (const Field& f : fields)
      if (f.id == field_id) return &f;
    return nullptr;
  }
  /// The keys as the kernel stores them: one string, separated by 0x01.
  std::string joined_key() const;
};

/// The operator as auditctl writes it: "=", "!=", "<", ">", "<=", ">=", "&", "&=".
std::string_view op_symbol(Op op);

/// Permission bits as letters in auditctl's order: "rwxa".
std::string perm_letters(uint32_t bits);

/// Settings and commands that are not rules.
enum class ControlKind : uint8_t {
  DeleteAll,                   // -D (text = key filter of "-D -k KEY")
  Enabled,                     // -e N
  FailureMode,                 // -f N
  RateLimit,                   // -r N
  BacklogLimit,                // -b N
  BacklogWaitTime,             // --backlog_wait_time N
  ResetBacklogWaitTimeActual,  // --reset_backlog_wait_time_actual
  LoginuidImmutable,           // --loginuid-immutable
  ResetLost,                   // --reset-lost
  ContinueOnError,             // -c
  IgnoreErrors,                // -i
  List,                        // -l (prints; no effect on the rule set)
  Status,                      // -s (prints)
  Message,                     // -m TEXT (sends a USER message)
  Trim,                        // -t
  MakeEquivalent,              // -q MOUNT,SUBTREE (text)
  Signal,                      // --signal SIG (text)
};

struct Control {
  ControlKind kind = ControlKind::Enabled;
  uint32_t value = 0;
  std::string text;
  Origin origin;
};

/// A comment or blank line of the source, kept so that `fmt` can reproduce it. `text` is
/// the line as written; empty for a blank line.
struct Comment {
  std::string text;
  Origin origin;
};

}  // namespace af::ir
