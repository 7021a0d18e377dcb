// What auditctl 3.0.9 and the kernel allow for each rule field: how its value is written,
// on which lists it may appear and with which operators. libaudit exposes the field names
// and numbers (compiler/tables) but keeps these rules in code, so they live here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "compiler/ir/rule.h"

namespace af::sema {

/// How a field's value is written and stored.
enum class ValueKind : uint8_t {
  Uid,        // number, -N, "unset", or a user name
  Gid,        // number or a group name
  Number,     // must start with a digit (pid, pers, ppid, devmajor, devminor, inode, success)
  SignedNum,  // number or -N (a0..a3)
  Session,    // number, -N or "unset"; anything else silently becomes 0
  Loose,      // strtoul with no digit check (saddr_fam)
  Exit,       // number, -N, or an errno name with optional '-'
  MsgType,    // number or record type name
  Arch,       // b32, b64, machine name or number
  Perm,       // letters r w x a
  FileType,   // file, dir, socket, link, character, block, fifo
  FsType,     // tracefs, debugfs, ... or number
  Path,       // absolute path (path=, dir=)
  Exe,        // absolute path of an executable
  Label,      // LSM label component (subj_*, obj_*)
  Key,        // filter key
};

/// Operator classes, from the kernel's audit_field_valid.
enum class OpSet : uint8_t {
  EqualOnly,   // =            (auditctl: perm, path, dir)
  EqualNotEq,  // = !=
  Compare,     // = != < > <= >=
  All,         // every operator including & and &=
};

/// Bit set of ir::List values.
using ListMask = uint32_t;
constexpr ListMask list_bit(ir::List l) { return 1u << static_cast<uint32_t>(l); }
constexpr ListMask kAnyList = list_bit(ir::List::User) | list_bit(ir::List::Task) |
                              list_bit(ir::List::Exit) | list_bit(ir::List::Exclude) |
                              list_bit(ir::List::Filesystem) | list_bit(ir::List::IoUring);
constexpr ListMask kExitOnly = list_bit(ir::List::Exit) | list_bit(ir::List::IoUring);

struct FieldRule {
  uint32_t id;
  ValueKind kind;
  OpSet ops;
  ListMask lists;  // where auditctl accepts the field
};

/// A -C comparison the kernel knows: its AUDIT_COMPARE_* code and the two fields, in the
/// order auditctl lists them ("auid!=obj_uid").
struct FieldComparison {
  uint32_t code;
  uint32_t left, right;
  std::string_view left_name, right_name;
};
std::optional<FieldComparison> comparison_by_code(uint32_t code);
/// The comparison of two fields in either order, or nullopt when the kernel has none.
std::optional<FieldComparison> comparison_of(uint32_t a, uint32_t b);

/// The rule for a field number, or nullopt for numbers no rule may use (loginuid_set, ...).
std::optional<FieldRule> field_rule(uint32_t id);

bool op_allowed(OpSet set, ir::Op op);
/// True for fields whose value travels as a string in the rule's buffer.
bool is_string_field(uint32_t id);

}  // namespace af::sema
