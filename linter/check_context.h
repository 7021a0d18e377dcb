// What every check sees (the IR in source order, the rules as the kernel holds them, the
// sources for locations, options) and the Reporter it reports into. Internal to the linter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "linter/linter.h"

namespace af::lint {

struct CheckContext {
  const ir::RuleSet& set;               // statements in source (execution) order
  const std::vector<ir::Rule>& kernel;  // sema::loaded_rules: list by list, kernel order
  const diag::SourceSet& sources;
  const CheckOptions& options;
  const MeasuredRates* rates = nullptr;  // --log, else null
  const std::function<bool(const std::string&)>& path_exists;
};

/// Collects findings with each check's default severity; the driver applies config and
/// suppressions afterwards. A reference returned by report() is valid until the next report.
class Reporter {
 public:
  Finding& report(CheckId id, ir::SourceRange range, std::string message);
  /// A finding about `rule`: suppressible by a comment above the rule's first line.
  Finding& report(CheckId id, const ir::Rule& rule, ir::SourceRange range, std::string message);

  std::vector<Finding>& findings() { return findings_; }

 private:
  std::vector<Finding> findings_;
};

/// The text of a field's value as written (classic syntax: the part after the operator), or
/// "" when the source does not spell `name OP value` there (policy files, YAML).
std::string_view written_value(const ir::Field& field, const diag::SourceSet& sources);

/// The name of a syscall of `rule` for messages: as written, else from the tables, else "#N".
std::string syscall_label(const ir::Rule& rule, uint32_t number);

/// The names of the syscalls in `rule`'s mask on its arch (or the host's), for name-based
/// checks; empty for a mask of every syscall.
std::vector<std::string> syscall_names(const ir::Rule& rule);

bool has_field(const ir::Rule& rule, uint32_t field_id);
/// A watch: a rule with path= or dir= (lives apart from the syscall filter, §5.3 and §5.6).
bool is_watch(const ir::Rule& rule);
std::string_view field_label(uint32_t field_id);

/// Whether a whole-line fix may rewrite `rule`: a one-line rule of a classic rules file (not a
/// policy, not YAML, where the line is not the rule's own).
bool fixable_line(const ir::Rule& rule, const diag::SourceSet& sources);

/// Adds to every arch-missing finding on a fixable rule the fix that splits it into a b64
/// rule and a b32 rule (without the syscalls the 32-bit ABI lacks).
void add_arch_split_fixes(std::vector<Finding>& findings, const ir::RuleSet& set,
                          const diag::SourceSet& sources);

// The runners, one per analysis; registry.def maps check ids to them.
#define AF_CHECK(name, id, family, severity, runner, summary) \
  void runner(const CheckContext& ctx, Reporter& out);
#include "linter/checks/registry.def"
#undef AF_CHECK

}  // namespace af::lint
