#include "kernel/load_plan.h"

#include <gtest/gtest.h>

#include "compiler/emit/binary.h"
#include "compiler/sema/loaded_rules.h"
#include "kernel/own_mark.h"
#include "tests/unit/compiler/test_support.h"

namespace af::kernel {
namespace {

// The kernel bytes of each rule of `text`, in load order; with `own`, marked.
std::vector<RuleBytes> bytes_of(const std::string& text, bool own = false) {
  Compilation c = test::compile(text);
  std::vector<RuleBytes> out;
  for (ir::Rule& r : sema::loaded_rules(c.rules, c.diags)) {
    if (own) add_own_mark(r);
    out.push_back(kernel_bytes(r));
  }
  EXPECT_FALSE(c.diags.has_errors()) << text;
  return out;
}

LoadRequest request_of(const std::vector<RuleBytes>& rules, bool own = false) {
  LoadRequest req;
  req.own_only = own;
  for (const RuleBytes& r : rules) req.rules.push_back({r, {}});
  return req;
}

Status idle_status() {
  Status st;
  st.enabled = 0;
  st.failure = 1;
  st.backlog_limit = 64;
  st.backlog_wait_time = 15000;
  return st;
}

const char* kFive =
    "-a always,exit -F arch=b64 -S open -k one\n"
    "-a always,exit -F arch=b64 -S openat -k two\n"
    "-a always,exit -F arch=b64 -S unlink -k three\n"
    "-a always,exit -F arch=b64 -S rename -k four\n"
    "-a always,exit -F arch=b64 -S chmod -k five\n";

TEST(LoadPlan, EmptyKernelAppendsEverythingInOrder) {
  auto wanted = bytes_of(kFive);
  LoadPlan plan = plan_load(idle_status(), {}, request_of(wanted));
  ASSERT_EQ(plan.rules.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(plan.rules[i].op, RuleChange::Op::Append);
    EXPECT_EQ(plan.rules[i].bytes, wanted[i]);
  }
  EXPECT_EQ(plan.expected, wanted);
  EXPECT_EQ(plan.kept, 0u);
}

TEST(LoadPlan, SameRulesGiveAnEmptyPlan) {
  auto wanted = bytes_of(kFive);
  LoadPlan plan = plan_load(idle_status(), wanted, request_of(wanted));
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.kept, 5u);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, ChangedTailKeepsThePrefix) {
  auto kernel = bytes_of(kFive);
  auto wanted = kernel;
  wanted[3] = bytes_of("-a always,exit -F arch=b64 -S rename -k FOUR\n")[0];
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  // Rules 4 and 5 go (5 sits after the changed one), then come back in order.
  ASSERT_EQ(plan.rules.size(), 4u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Delete);
  EXPECT_EQ(plan.rules[0].bytes, kernel[3]);
  EXPECT_EQ(plan.rules[1].bytes, kernel[4]);
  EXPECT_EQ(plan.rules[2].op, RuleChange::Op::Append);
  EXPECT_EQ(plan.rules[2].bytes, wanted[3]);
  EXPECT_EQ(plan.rules[3].bytes, wanted[4]);
  EXPECT_EQ(plan.kept, 3u);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, RemovedFirstRuleIsOneDelete) {
  auto kernel = bytes_of(kFive);
  std::vector<RuleBytes> wanted(kernel.begin() + 1, kernel.end());
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  ASSERT_EQ(plan.rules.size(), 1u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Delete);
  EXPECT_EQ(plan.rules[0].bytes, kernel[0]);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, NewFirstRuleIsPrependedAndTheRestKept) {
  auto kernel = bytes_of(kFive);
  auto wanted = bytes_of(std::string("-a always,exit -F arch=b64 -S mkdir -k zero\n") + kFive);
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  ASSERT_EQ(plan.rules.size(), 1u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Prepend);
  EXPECT_EQ(plan.rules[0].bytes, wanted[0]);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, PrependsAreSentInReverseSoTheyListInOrder) {
  auto kernel = bytes_of("-a always,exit -F arch=b64 -S chmod -k five\n");
  auto wanted = bytes_of(kFive);
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  ASSERT_EQ(plan.rules.size(), 4u);
  EXPECT_EQ(plan.rules[0].bytes, wanted[3]);
  EXPECT_EQ(plan.rules[3].bytes, wanted[0]);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, SwappedRulesAreNeverKeptOutOfOrder) {
  auto kernel = bytes_of(kFive);
  std::vector<RuleBytes> wanted = {kernel[1], kernel[0], kernel[2], kernel[3], kernel[4]};
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  // Keep 0,2,3,4 (the longest run that is in order: wanted[1..5)), prepend rule 2.
  EXPECT_EQ(plan.kept, 4u);
  ASSERT_EQ(plan.rules.size(), 2u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Delete);
  EXPECT_EQ(plan.rules[0].bytes, kernel[1]);
  EXPECT_EQ(plan.rules[1].op, RuleChange::Op::Prepend);
  EXPECT_EQ(plan.rules[1].bytes, kernel[1]);
  EXPECT_EQ(plan.expected, wanted);
}

TEST(LoadPlan, ListsAreIndependent) {
  auto kernel = bytes_of(
      "-a never,exclude -F msgtype=CWD\n"
      "-a always,exit -F arch=b64 -S open -k one\n");
  auto wanted = bytes_of(
      "-a never,exclude -F msgtype=CWD\n"
      "-a always,exit -F arch=b64 -S open -k one\n"
      "-a never,user -F uid=0\n");
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted));
  ASSERT_EQ(plan.rules.size(), 1u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Append);
  EXPECT_EQ(plan.kept, 2u);
  EXPECT_EQ(plan.expected, wanted);  // user (0) lists before exit (4) and exclude (5)
}

TEST(LoadPlan, OwnModeLeavesForeignRulesAlone) {
  auto foreign = bytes_of("-a always,exit -F arch=b64 -S mount -k theirs\n");
  auto ours_old = bytes_of(
      "-a always,exit -F arch=b64 -S open -k one\n"
      "-a always,exit -F arch=b64 -S unlink -k three\n",
      true);
  std::vector<RuleBytes> kernel = {ours_old[0], foreign[0], ours_old[1]};
  auto wanted = bytes_of(
      "-a always,exit -F arch=b64 -S open -k one\n"
      "-a always,exit -F arch=b64 -S rename -k four\n",
      true);
  LoadPlan plan = plan_load(idle_status(), kernel, request_of(wanted, true));
  ASSERT_EQ(plan.rules.size(), 2u);
  EXPECT_EQ(plan.rules[0].op, RuleChange::Op::Delete);
  EXPECT_EQ(plan.rules[0].bytes, ours_old[1]);
  EXPECT_EQ(plan.rules[1].op, RuleChange::Op::Append);
  std::vector<RuleBytes> expected = {wanted[0], foreign[0], wanted[1]};
  EXPECT_EQ(plan.expected, expected);
}

TEST(LoadPlan, OwnModeNeverPrependsAheadOfForeignRules) {
  auto foreign = bytes_of("-a never,exit -F arch=b64 -S open -F uid=0\n");
  auto ours = bytes_of("-a always,exit -F arch=b64 -S open -k one\n", true);
  auto wanted = bytes_of(
      "-a always,exit -F arch=b64 -S openat -k zero\n"
      "-a always,exit -F arch=b64 -S open -k one\n",
      true);
  LoadPlan plan = plan_load(idle_status(), {foreign[0], ours[0]}, request_of(wanted, true));
  EXPECT_EQ(plan.count(RuleChange::Op::Prepend), 0u);
  std::vector<RuleBytes> expected = {foreign[0], wanted[0], wanted[1]};
  EXPECT_EQ(plan.expected, expected);
}

TEST(LoadPlan, OwnMarkIsTheLastKeyAndIsFoundInListedBytes) {
  auto marked = bytes_of("-w /etc/passwd -p wa -k identity\n", true);
  auto plain = bytes_of("-w /etc/passwd -p wa -k identity\n");
  EXPECT_TRUE(has_own_mark(marked[0]));
  EXPECT_FALSE(has_own_mark(plain[0]));
  emit::RuleData data;
  ASSERT_TRUE(emit::decode_rule(marked[0], data));
  EXPECT_EQ(data.fields.back().text,
            "identity\x01"
            "auditforge-own");
  // A key that merely contains the mark is not the mark.
  EXPECT_FALSE(has_own_mark(bytes_of("-w /etc/shadow -p wa -k auditforge-owner\n")[0]));
}

TEST(LoadPlan, SettingsDiffAgainstStatus) {
  LoadRequest req;
  req.settings = {{Setting::BacklogLimit, 8192, {}},
                  {Setting::Failure, 1, {}},
                  {Setting::RateLimit, 100, {}},
                  {Setting::RateLimit, 200, {}},  // the last one wins
                  {Setting::Enabled, 1, {}}};
  LoadPlan plan = plan_load(idle_status(), {}, req);
  ASSERT_EQ(plan.settings_first.size(), 2u);  // failure is already 1
  EXPECT_EQ(plan.settings_first[0].setting, Setting::RateLimit);
  EXPECT_EQ(plan.settings_first[0].to, 200u);
  EXPECT_EQ(plan.settings_first[1].setting, Setting::BacklogLimit);
  EXPECT_EQ(plan.settings_first[1].from, 64u);
  ASSERT_EQ(plan.settings_last.size(), 1u);
  EXPECT_EQ(plan.settings_last[0].setting, Setting::Enabled);
}

TEST(LoadPlan, ImmutableSettingsAreSkippedWithoutTheFlag) {
  LoadRequest req;
  req.settings = {{Setting::Enabled, 2, {}}, {Setting::LoginuidImmutable, 1, {}}};
  LoadPlan plan = plan_load(idle_status(), {}, req);
  EXPECT_TRUE(plan.empty());
  ASSERT_EQ(plan.skipped.size(), 2u);
  EXPECT_NE(plan.skipped[0].reason.find("--allow-immutable"), std::string::npos);
  EXPECT_NE(plan.skipped[1].reason.find("enabled stays 0"), std::string::npos);
}

TEST(LoadPlan, AllowImmutableSendsEnabledTwoLastOfAll) {
  LoadRequest req;
  req.allow_immutable = true;
  req.settings = {{Setting::Enabled, 2, {}}, {Setting::LoginuidImmutable, 1, {}}};
  LoadPlan plan = plan_load(idle_status(), {}, req);
  ASSERT_EQ(plan.settings_last.size(), 2u);
  EXPECT_EQ(plan.settings_last[0].setting, Setting::LoginuidImmutable);
  EXPECT_EQ(plan.settings_last[1].setting, Setting::Enabled);
  EXPECT_EQ(plan.settings_last[1].to, 2u);
}

TEST(LoadPlan, ImmutableKernelIsRefused) {
  Status st = idle_status();
  st.enabled = 2;
  auto wanted = bytes_of(kFive);
  LoadPlan plan = plan_load(st, {}, request_of(wanted));
  ASSERT_TRUE(plan.refusal.has_value());
  EXPECT_EQ(*plan.refusal,
            "the kernel's audit configuration is immutable (enabled 2): no rule or setting can "
            "change until reboot");
  // The difference is still planned, for --dry-run to show.
  EXPECT_EQ(plan.rules.size(), 5u);
}

}  // namespace
}  // namespace af::kernel
