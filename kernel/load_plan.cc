#include "kernel/load_plan.h"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "compiler/emit/binary.h"
#include "kernel/own_mark.h"

namespace af::kernel {
namespace {

constexpr uint32_t kPrependFlag = 0x10;  // AUDIT_FILTER_PREPEND

std::string as_key(const RuleBytes& b) { return std::string(b.begin(), b.end()); }

// The rules of one filter list: indexes into the kernel's and the wanted rules, in order.
struct ListWork {
  std::vector<size_t> kernel;
  std::vector<size_t> wanted;
};

// The longest run wanted[begin, end) whose rules the kernel holds among `owned`, in the same
// relative order. With `from_start`, only runs that begin at the first wanted rule count.
struct Run {
  size_t begin = 0;
  size_t end = 0;
};

Run longest_kept_run(const std::vector<const RuleBytes*>& wanted,
                     const std::unordered_map<std::string, size_t>& owned_position,
                     bool from_start) {
  Run best;
  size_t start = 0;
  std::optional<size_t> previous;
  for (size_t t = 0; t < wanted.size(); ++t) {
    auto it = owned_position.find(as_key(*wanted[t]));
    if (it == owned_position.end()) {
      if (from_start) break;
      start = t + 1;
      previous.reset();
      continue;
    }
    if (previous && it->second <= *previous) {
      if (from_start) break;
      start = t;
    }
    previous = it->second;
    if (t + 1 - start > best.end - best.begin) best = {start, t + 1};
  }
  return best;
}

void plan_settings(const Status& status, const LoadRequest& request, LoadPlan& plan) {
  // The last request of each kind wins, as when auditctl runs the lines in order.
  std::map<Setting, WantedSetting> last;
  for (const WantedSetting& w : request.settings) last[w.setting] = w;
  for (const auto& [setting, w] : last) {
    uint32_t now = setting_value(status, setting);
    if (now == w.value) continue;
    SettingChange change{setting, now, w.value, w.origin};
    switch (setting) {
      case Setting::Failure:
      case Setting::RateLimit:
      case Setting::BacklogLimit:
      case Setting::BacklogWaitTime:
        plan.settings_first.push_back(change);
        break;
      case Setting::LoginuidImmutable:
        if (!request.allow_immutable) {
          plan.skipped.push_back({setting, w.value, w.origin,
                                  "it cannot be undone until reboot; give --allow-immutable to "
                                  "send it"});
          break;
        }
        plan.settings_last.push_back(change);
        break;
      case Setting::Enabled:
        if (w.value == 2 && !request.allow_immutable) {
          plan.skipped.push_back({setting, w.value, w.origin,
                                  fmt::format("it locks the audit configuration until reboot; give "
                                              "--allow-immutable to send it (enabled stays {})",
                                              now)});
          break;
        }
        plan.settings_last.push_back(change);
        break;
    }
  }
  // -e last of all, so that -e 2 locks a configuration that is complete and verified.
  std::stable_partition(plan.settings_last.begin(), plan.settings_last.end(),
                        [](const SettingChange& c) { return c.setting != Setting::Enabled; });
}

}  // namespace

size_t LoadPlan::count(RuleChange::Op op) const {
  size_t n = 0;
  for (const RuleChange& c : rules) n += c.op == op;
  return n;
}

uint32_t rule_list(const RuleBytes& rule) {
  uint32_t flags = 0;
  if (rule.size() >= sizeof flags) std::memcpy(&flags, rule.data(), sizeof flags);
  return flags & ~kPrependFlag;
}

RuleBytes kernel_bytes(const ir::Rule& rule) {
  ir::Rule added = rule;
  // The kernel clears the prepend flag; the position is what -A changes.
  if (added.form == ir::RuleForm::Prepend) added.form = ir::RuleForm::Append;
  RuleBytes bytes = emit::encode_rule(added);
  audit_rule_data head;
  std::memcpy(&head, bytes.data(), sizeof head);
  bytes.resize(sizeof head + head.buflen);
  return bytes;
}

LoadPlan plan_load(const Status& status, const std::vector<RuleBytes>& kernel_rules,
                   const LoadRequest& request) {
  LoadPlan plan;
  if (status.enabled == 2)
    plan.refusal =
        "the kernel's audit configuration is immutable (enabled 2): no rule or setting can "
        "change until reboot";
  plan_settings(status, request, plan);

  std::map<uint32_t, ListWork> lists;
  for (size_t i = 0; i < kernel_rules.size(); ++i)
    lists[rule_list(kernel_rules[i])].kernel.push_back(i);
  for (size_t i = 0; i < request.rules.size(); ++i)
    lists[rule_list(request.rules[i].bytes)].wanted.push_back(i);

  std::vector<RuleChange> deletes, prepends, appends;
  for (const auto& [list, work] : lists) {
    std::unordered_map<std::string, size_t> owned_position;
    std::vector<size_t> owned;  // kernel indexes
    for (size_t k : work.kernel) {
      if (request.own_only && !has_own_mark(kernel_rules[k])) continue;
      owned_position.emplace(as_key(kernel_rules[k]), owned.size());
      owned.push_back(k);
    }
    std::vector<const RuleBytes*> wanted;
    for (size_t w : work.wanted) wanted.push_back(&request.rules[w].bytes);
    Run run = longest_kept_run(wanted, owned_position, request.own_only);

    std::unordered_set<size_t> kept;  // kernel indexes
    for (size_t t = run.begin; t < run.end; ++t)
      kept.insert(owned[owned_position.at(as_key(*wanted[t]))]);
    plan.kept += kept.size();
    std::unordered_set<size_t> deleted;
    for (size_t k : owned) {
      if (kept.count(k)) continue;
      deleted.insert(k);
      deletes.push_back({RuleChange::Op::Delete, kernel_rules[k], std::nullopt});
    }
    for (size_t t = run.begin; t-- > 0;)
      prepends.push_back({RuleChange::Op::Prepend, *wanted[t], work.wanted[t]});
    for (size_t t = run.end; t < wanted.size(); ++t)
      appends.push_back({RuleChange::Op::Append, *wanted[t], work.wanted[t]});

    for (size_t t = 0; t < run.begin; ++t) plan.expected.push_back(*wanted[t]);
    for (size_t k : work.kernel)
      if (!deleted.count(k)) plan.expected.push_back(kernel_rules[k]);
    for (size_t t = run.end; t < wanted.size(); ++t) plan.expected.push_back(*wanted[t]);
  }
  for (auto* part : {&deletes, &prepends, &appends})
    for (RuleChange& c : *part) plan.rules.push_back(std::move(c));
  return plan;
}

}  // namespace af::kernel
