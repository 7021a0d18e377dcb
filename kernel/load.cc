#include "kernel/load.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace af::kernel {
namespace {

LoadFailure read_failure(const SysError& e) {
  LoadFailure f;
  f.step = LoadFailure::Step::Read;
  f.error = e;
  return f;
}

std::optional<LoadFailure> send_settings(AuditPort& port, const std::vector<SettingChange>& list,
                                         std::vector<SettingChange>& applied, size_t& sent) {
  for (const SettingChange& c : list) {
    ++sent;
    if (auto r = port.set(c.setting, c.to); !r) {
      LoadFailure f;
      f.step = LoadFailure::Step::Setting;
      f.error = r.error();
      f.setting = c;
      return f;
    }
    applied.push_back(c);
  }
  return std::nullopt;
}

std::optional<LoadFailure> verify_rules(AuditPort& port, const std::vector<RuleBytes>& expected) {
  auto now = port.rules();
  if (!now) return read_failure(now.error());
  auto at = first_difference(expected, *now);
  if (!at) return std::nullopt;
  LoadFailure f;
  f.step = LoadFailure::Step::Verify;
  f.position = *at;
  if (*at < expected.size()) f.expected_rule = expected[*at];
  if (*at < now->size()) f.actual_rule = (*now)[*at];
  f.mismatch = fmt::format("the kernel holds {} rules, {} expected; they differ from rule {} on",
                           now->size(), expected.size(), *at + 1);
  return f;
}

std::optional<LoadFailure> verify_settings(AuditPort& port,
                                           const std::vector<SettingChange>& applied) {
  if (applied.empty()) return std::nullopt;
  auto st = port.status();
  if (!st) return read_failure(st.error());
  for (const SettingChange& c : applied) {
    uint32_t now = setting_value(*st, c.setting);
    if (now == c.to) continue;
    LoadFailure f;
    f.step = LoadFailure::Step::Verify;
    f.setting = c;
    f.mismatch = fmt::format("{} is {} after setting it to {}", setting_name(c.setting), now, c.to);
    return f;
  }
  return std::nullopt;
}

// Sends a plan and verifies it; `applied` collects the settings the kernel accepted.
std::optional<LoadFailure> execute(AuditPort& port, const LoadPlan& plan,
                                   std::vector<SettingChange>& applied, size_t& sent) {
  if (auto f = send_settings(port, plan.settings_first, applied, sent)) return f;
  for (const RuleChange& c : plan.rules) {
    ++sent;
    auto r = c.op == RuleChange::Op::Delete
                 ? port.delete_rule(c.bytes)
                 : port.add_rule(c.bytes, c.op == RuleChange::Op::Prepend);
    if (!r) {
      LoadFailure f;
      f.step = LoadFailure::Step::Rule;
      f.error = r.error();
      f.rule = c;
      return f;
    }
  }
  // A nothing-to-do plan needs no listing: the caller listed the rules just before.
  if (!plan.rules.empty())
    if (auto f = verify_rules(port, plan.expected)) return f;
  if (auto f = send_settings(port, plan.settings_last, applied, sent)) return f;
  return verify_settings(port, applied);
}

// Reverting a setting that cannot be reverted (a locked loginuid_immutable, enabled 2) would
// only fail; the rollback says so instead.
bool reversible(const SettingChange& c) {
  return c.setting != Setting::LoginuidImmutable && !(c.setting == Setting::Enabled && c.to == 2);
}

Rollback roll_back(AuditPort& port, const std::vector<RuleBytes>& before_rules,
                   const std::vector<SettingChange>& applied) {
  Rollback rb;
  rb.attempted = true;
  auto status = port.status();
  auto rules = port.rules();
  if (!status || !rules) {
    rb.problem = (status ? rules.error() : status.error()).message();
    return rb;
  }
  LoadRequest back;
  for (const RuleBytes& r : before_rules) back.rules.push_back({r, {}});
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    if (reversible(*it)) {
      back.settings.push_back({it->setting, it->from, {}});
    } else {
      rb.problem +=
          fmt::format("{} {} cannot be undone until reboot; ", setting_name(it->setting), it->to);
    }
  }
  LoadPlan plan = plan_load(*status, *rules, back);
  if (plan.refusal) {
    rb.problem += *plan.refusal;
    return rb;
  }
  std::vector<SettingChange> restored;
  if (auto f = execute(port, plan, restored, rb.sent)) {
    rb.problem += f->step == LoadFailure::Step::Verify ? f->mismatch : f->error.message();
    return rb;
  }
  // execute() skips the listing when no rule changed; the restore is checked either way.
  if (auto f = verify_rules(port, before_rules)) {
    rb.problem += f->step == LoadFailure::Step::Verify ? f->mismatch : f->error.message();
    return rb;
  }
  rb.verified = rb.problem.empty();
  return rb;
}

}  // namespace

std::optional<size_t> first_difference(const std::vector<RuleBytes>& expected,
                                       const std::vector<RuleBytes>& actual) {
  size_t n = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i)
    if (expected[i] != actual[i]) return i;
  if (expected.size() != actual.size()) return n;
  return std::nullopt;
}

LoadResult apply_plan(AuditPort& port, const LoadPlan& plan,
                      const std::vector<RuleBytes>& before_rules) {
  LoadResult result;
  if (plan.refusal) {
    LoadFailure f;
    f.step = LoadFailure::Step::Refused;
    f.error = SysError{"change the audit rules of", "the kernel", *plan.refusal, EPERM};
    result.failure = f;
    return result;
  }
  std::vector<SettingChange> applied;
  result.failure = execute(port, plan, applied, result.sent);
  if (result.failure) result.rollback = roll_back(port, before_rules, applied);
  return result;
}

}  // namespace af::kernel
