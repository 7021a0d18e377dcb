// An in-memory kernel for load tests: rule lists with append, prepend and delete as
// kernel/auditfilter.c does them (EEXIST on a duplicate, ENOENT on a missing delete), status
// settings, and rules or settings it is told to refuse.
#pragma once

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "kernel/audit_port.h"
#include "kernel/load_plan.h"

namespace af::test {

class FakeKernel final : public kernel::AuditPort {
 public:
  kernel::Status status_;
  std::map<uint32_t, std::vector<kernel::RuleBytes>> lists_;
  std::map<kernel::RuleBytes, int> refuse_;  // rule -> errno the kernel answers on add
  std::map<kernel::Setting, int> refuse_setting_;
  std::set<kernel::RuleBytes> swallow_;  // acknowledged but never held (verify must catch it)
  size_t messages_ = 0;

  void load(const std::vector<kernel::RuleBytes>& rules) {
    for (const auto& r : rules) lists_[kernel::rule_list(r)].push_back(r);
  }

  Expected<kernel::Status> status() override { return status_; }

  Expected<std::vector<kernel::RuleBytes>> rules() override {
    std::vector<kernel::RuleBytes> out;
    for (const auto& [list, rules] : lists_) out.insert(out.end(), rules.begin(), rules.end());
    return out;
  }

  Expected<void> add_rule(std::span<const uint8_t> rule, bool prepend) override {
    ++messages_;
    kernel::RuleBytes r(rule.begin(), rule.end());
    if (auto it = refuse_.find(r); it != refuse_.end()) return fail(it->second);
    if (swallow_.count(r)) return {};
    auto& list = lists_[kernel::rule_list(r)];
    for (const auto& held : list)
      if (held == r) return fail(EEXIST);
    if (prepend) {
      list.insert(list.begin(), r);
    } else {
      list.push_back(r);
    }
    return {};
  }

  Expected<void> delete_rule(std::span<const uint8_t> rule) override {
    ++messages_;
    kernel::RuleBytes r(rule.begin(), rule.end());
    auto& list = lists_[kernel::rule_list(r)];
    for (auto it = list.begin(); it != list.end(); ++it)
      if (*it == r) {
        list.erase(it);
        return {};
      }
    return fail(ENOENT);
  }

  Expected<void> set(kernel::Setting s, uint32_t value) override {
    ++messages_;
    if (auto it = refuse_setting_.find(s); it != refuse_setting_.end()) return fail(it->second);
    using S = kernel::Setting;
    switch (s) {
      case S::Failure:
        status_.failure = value;
        break;
      case S::RateLimit:
        status_.rate_limit = value;
        break;
      case S::BacklogLimit:
        status_.backlog_limit = value;
        break;
      case S::BacklogWaitTime:
        status_.backlog_wait_time = value;
        break;
      case S::LoginuidImmutable:
        status_.loginuid_immutable = value != 0;
        break;
      case S::Enabled:
        status_.enabled = value;
        break;
    }
    return {};
  }

 private:
  static tl::unexpected<SysError> fail(int err) {
    return tl::unexpected(SysError{"change", "the fake kernel", std::strerror(err), err});
  }
};

}  // namespace af::test
