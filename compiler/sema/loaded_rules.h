// What the kernel holds after loading a rule set into an empty kernel: the effect of -D,
// -A (prepend), -d/-W (delete) and duplicate refusals, in the order AUDIT_LIST_RULES returns
// the rules (list by list, each list in rule order).
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/rule_set.h"

namespace af::sema {

/// Replays the statements in order and returns the rules as the kernel holds them (a -A
/// rule comes back as a plain rule at the head of its list). A rule identical to a loaded one
/// (EEXIST) and a delete that matches nothing (ENOENT) are reported: auditctl stops loading there.
/// Cost: one encoding per rule and a hash lookup per add or delete.
std::vector<ir::Rule> loaded_rules(const ir::RuleSet& set, diag::DiagnosticSink& diags);

}  // namespace af::sema
