// Applying a load plan to the kernel: send the changes (each waits for its ACK), list the
// rules back and check them byte for byte, and on any failure put the previous rules and
// settings back and check that too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/sys_error.h"
#include "kernel/audit_port.h"
#include "kernel/load_plan.h"

namespace af::kernel {

struct LoadFailure {
  enum class Step : uint8_t {
    Refused,  // plan.refusal: nothing was sent
    Setting,  // the kernel refused a setting (`setting`, `error`)
    Rule,     // the kernel refused a rule change (`rule`, `error`)
    Read,     // status or rule listing failed (`error`)
    Verify,   // the kernel holds other rules or settings than planned
  };
  Step step = Step::Rule;
  SysError error;
  std::optional<RuleChange> rule;
  std::optional<SettingChange> setting;
  /// Step Verify: the first rule position that differs, and both sides there (empty when
  /// one list is shorter), or a description of a setting that differs.
  size_t position = 0;
  RuleBytes expected_rule;
  RuleBytes actual_rule;
  std::string mismatch;
};

struct Rollback {
  bool attempted = false;
  bool verified = false;  // the kernel holds the previous rules and settings again
  std::string problem;    // why the restore is incomplete, when it is
  size_t sent = 0;
};

struct LoadResult {
  size_t sent = 0;  // rule and setting messages sent (not counting the rollback)
  std::optional<LoadFailure> failure;
  Rollback rollback;
  bool ok() const { return !failure; }
};

/// Applies `plan` to the kernel behind `port`, which held `before_rules` when the plan was
/// made. Refuses (sending nothing) when plan.refusal is set. After any other
/// failure restores the previous rules (as a plan of its own, so only the difference is sent)
/// and the settings changed so far, except the irreversible ones, and verifies the restore.
LoadResult apply_plan(AuditPort& port, const LoadPlan& plan,
                      const std::vector<RuleBytes>& before_rules);

/// The first position where two rule listings differ, or nullopt when they are equal.
std::optional<size_t> first_difference(const std::vector<RuleBytes>& expected,
                                       const std::vector<RuleBytes>& actual);

}  // namespace af::kernel
