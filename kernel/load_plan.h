// Planning `auditforge load`: from the kernel's status and rules and the compiled rules and
// settings, the changes that make the kernel hold exactly the compiled set. Pure: no kernel
// access, so every path (the immutable refusal among them) is unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/rule.h"
#include "compiler/ir/source_range.h"
#include "kernel/audit_port.h"
#include "kernel/kernel.h"

namespace af::kernel {

/// A compiled rule to hold, as the kernel will list it.
struct WantedRule {
  RuleBytes bytes;
  ir::SourceRange origin;  // the source line, for diagnostics
};

/// A control setting the input asks for (the last of a kind wins).
struct WantedSetting {
  Setting setting;
  uint32_t value = 0;
  ir::SourceRange origin;
};

struct LoadRequest {
  /// In the order the kernel lists them once loaded (sema::loaded_rules order).
  std::vector<WantedRule> rules;
  std::vector<WantedSetting> settings;
  /// Only rules carrying the own-rules mark (own_mark.h) are compared and deleted; every
  /// other rule stays where it is.
  bool own_only = false;
  /// Lets the plan send `-e 2` and `--loginuid-immutable`, which cannot be undone until reboot.
  bool allow_immutable = false;
};

struct RuleChange {
  enum class Op : uint8_t { Delete, Prepend, Append };
  Op op = Op::Append;
  RuleBytes bytes;
  std::optional<size_t> wanted;  // index into LoadRequest::rules (Prepend, Append)
};

struct SettingChange {
  Setting setting;
  uint32_t from = 0;
  uint32_t to = 0;
  ir::SourceRange origin;
};

/// A requested setting the plan will not send, and why.
struct SkippedSetting {
  Setting setting;
  uint32_t value = 0;
  ir::SourceRange origin;
  std::string reason;
};

struct LoadPlan {
  /// Set when nothing may change (the kernel is immutable): apply_plan refuses.
  std::optional<std::string> refusal;
  std::vector<SettingChange> settings_first;  // -f, -r, -b, --backlog_wait_time
  /// Deletes (kernel order), then prepends (each goes to the head of its list, so sent in
  /// reverse wanted order), then appends (wanted order).
  std::vector<RuleChange> rules;
  /// Sent once the rules are verified: -e 0/1, --loginuid-immutable, and -e 2 last.
  std::vector<SettingChange> settings_last;
  std::vector<SkippedSetting> skipped;
  /// What AUDIT_LIST_RULES must return once the plan is applied.
  std::vector<RuleBytes> expected;
  size_t kept = 0;  // rules already in place, not sent again

  bool empty() const { return settings_first.empty() && rules.empty() && settings_last.empty(); }
  size_t count(RuleChange::Op op) const;
};

/// The list number (AUDIT_FILTER_*) of a rule's bytes, without the prepend flag.
uint32_t rule_list(const RuleBytes& rule);

/// The bytes the kernel lists for a rule that encode_rule encodes (no padding, no prepend).
RuleBytes kernel_bytes(const ir::Rule& rule);

/// Plans the change. Per filter list, the rules kept are the longest run of consecutive
/// wanted rules that the kernel already holds in the same relative order; the kernel's other
/// (owned) rules are deleted, the wanted rules before the run are prepended and those after
/// it appended. Order is exact because the kernel only adds at either end of a list. In
/// own_only mode the run must start at the first wanted rule (no prepends), so that our
/// rules never move ahead of foreign rules. Cost: O(kernel + wanted) with a hash per rule.
LoadPlan plan_load(const Status& status, const std::vector<RuleBytes>& kernel_rules,
                   const LoadRequest& request);

}  // namespace af::kernel
