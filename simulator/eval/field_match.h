// One rule field against one recorded syscall, as the kernel's audit_filter_rules compares
// it (rules-semantics §5.5-5.8), with a third answer for what the log cannot tell.
#pragma once

#include <string>

#include "compiler/ir/rule.h"
#include "simulator/model/syscall_facts.h"

namespace af::sim {

enum class Tri : uint8_t { False, True, Unknown };

/// Which filter evaluates the field: the exit list (with the syscall's context), the task
/// list (at fork: no syscall data, the parent's image), or the user/exclude lists (the task
/// that creates the record, no syscall data).
enum class FilterContext : uint8_t { Exit, Task, Message };

struct FieldResult {
  Tri value = Tri::False;
  std::string why;  // for Unknown: what the log lacks; for False: the value seen (explain)
};

/// `name` is the one PATH item tried in the watch pass, or null for the exit pass (then
/// object fields look at every item).
FieldResult match_field(const ir::Field& field, const SyscallFacts& facts, const PathItem* name,
                        FilterContext context);

/// While an ExplainScope(true) is alive on this thread, false fields carry the event's value
/// in FieldResult::why (for --explain); otherwise only undetermined ones explain themselves.
class ExplainScope {
 public:
  explicit ExplainScope(bool on);
  ~ExplainScope();
  ExplainScope(const ExplainScope&) = delete;
  ExplainScope& operator=(const ExplainScope&) = delete;
  static bool active();

 private:
  bool previous_;
};

/// Whether a perm= field is false for every event of this syscall. The kernel's
/// audit_match_perm looks only at the syscall's class, except for the open family's access
/// mode and socketcall's a0, and then only at the read and write bits.
bool perm_never_holds(const ir::Field& field, uint32_t arch, uint32_t syscall);

/// Whether a PATH name's place in the tree is known: resolved, and not relative to a
/// directory fd the log does not show.
bool name_is_placed(const SyscallFacts& facts, const PathItem& name);

/// A path's last component ("/etc/passwd" -> "passwd"), as path= rules compare names whose
/// directory the log cannot place.
std::string_view last_component(std::string_view path);

/// The kernel's audit_comparator on unsigned 32-bit values.
bool compare_u32(uint32_t left, ir::Op op, uint32_t right);

/// "uid>=1000", "path=/etc/passwd", "uid!=auid": a field as auditctl writes it.
std::string field_text(const ir::Field& field);

}  // namespace af::sim
