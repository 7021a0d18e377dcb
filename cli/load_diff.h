// How `load` shows a plan: one line per change ("~ backlog_limit 64 -> 8192", "- RULE",
// "+ RULE", rules in the form `auditctl -l` prints them), or the same as JSON.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/source_set.h"
#include "kernel/load_plan.h"

namespace af::cli {

/// The rule as `auditctl -l` prints it (without its newline).
std::string rule_listing(const kernel::RuleBytes& rule);

/// Settings first, then deleted rules (kernel order), then added rules (wanted order).
/// Empty when the plan is empty.
std::string diff_text(const kernel::LoadPlan& plan);

/// {"kept","delete":[{"rule"}],"add":[{"rule","position","origin"}],"settings":[...],
///  "skipped":[...],"refusal"}
std::string diff_json(const kernel::LoadPlan& plan, const kernel::LoadRequest& request,
                      const diag::SourceSet& sources);

/// "3 kept, 1 deleted, 2 added, 1 setting changed" (in the future tense with `planned`).
std::string diff_summary(const kernel::LoadPlan& plan, bool planned);

}  // namespace af::cli
