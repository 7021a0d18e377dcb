#include "kernel/load.h"

#include <gtest/gtest.h>

#include "compiler/sema/loaded_rules.h"
#include "tests/unit/compiler/test_support.h"
#include "tests/unit/kernel/fake_kernel.h"

namespace af::kernel {
namespace {

std::vector<RuleBytes> bytes_of(const std::string& text) {
  Compilation c = test::compile(text);
  std::vector<RuleBytes> out;
  for (const ir::Rule& r : sema::loaded_rules(c.rules, c.diags)) out.push_back(kernel_bytes(r));
  EXPECT_FALSE(c.diags.has_errors()) << text;
  return out;
}

LoadRequest request_of(const std::vector<RuleBytes>& rules) {
  LoadRequest req;
  for (const RuleBytes& r : rules) req.rules.push_back({r, {}});
  return req;
}

// Plans against the fake's current state and applies, as `auditforge load` does.
LoadResult load(test::FakeKernel& k, const LoadRequest& req, LoadPlan* plan_out = nullptr) {
  auto before = *k.rules();
  LoadPlan plan = plan_load(k.status_, before, req);
  if (plan_out) *plan_out = plan;
  return apply_plan(k, plan, before);
}

const char* kOld =
    "-a always,exit -F arch=b64 -S open -k old1\n"
    "-a always,exit -F arch=b64 -S openat -k old2\n"
    "-w /etc/passwd -p wa -k old3\n";

const char* kNew =
    "-a always,exit -F arch=b64 -S open -k old1\n"
    "-a always,exit -F arch=b64 -S unlink -k new1\n"
    "-a always,exit -F arch=b64 -S rename -k new2\n"
    "-a always,exit -F arch=b64 -S chmod -k new3\n";

TEST(Load, AppliesThePlanAndVerifiesIt) {
  test::FakeKernel k;
  k.load(bytes_of(kOld));
  auto wanted = bytes_of(kNew);
  LoadResult r = load(k, request_of(wanted));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*k.rules(), wanted);
  EXPECT_EQ(r.sent, 5u);  // 2 deletes, 3 appends; the first rule is kept
}

TEST(Load, ReloadSendsNothing) {
  test::FakeKernel k;
  auto wanted = bytes_of(kNew);
  k.load(wanted);
  LoadResult r = load(k, request_of(wanted));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.sent, 0u);
  EXPECT_EQ(k.messages_, 0u);
}

TEST(Load, RejectedRuleInTheMiddleRollsBackByteIdentical) {
  test::FakeKernel k;
  auto old = bytes_of(kOld);
  k.load(old);
  auto wanted = bytes_of(kNew);
  k.refuse_[wanted[2]] = ENOENT;
  LoadResult r = load(k, request_of(wanted));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->step, LoadFailure::Step::Rule);
  EXPECT_EQ(r.failure->error.error, ENOENT);
  ASSERT_TRUE(r.failure->rule->wanted.has_value());
  EXPECT_EQ(*r.failure->rule->wanted, 2u);
  EXPECT_TRUE(r.rollback.attempted);
  EXPECT_TRUE(r.rollback.verified) << r.rollback.problem;
  EXPECT_EQ(*k.rules(), old);
}

TEST(Load, RejectedSettingPutsEarlierSettingsBack) {
  test::FakeKernel k;
  k.status_.backlog_limit = 64;
  k.status_.rate_limit = 0;
  auto old = bytes_of(kOld);
  k.load(old);
  LoadRequest req = request_of(bytes_of(kNew));
  req.settings = {{Setting::BacklogLimit, 8192, {}}, {Setting::BacklogWaitTime, 1, {}}};
  k.refuse_setting_[Setting::BacklogWaitTime] = EINVAL;
  LoadResult r = load(k, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->step, LoadFailure::Step::Setting);
  EXPECT_TRUE(r.rollback.verified) << r.rollback.problem;
  EXPECT_EQ(k.status_.backlog_limit, 64u);
  EXPECT_EQ(*k.rules(), old);
}

TEST(Load, RuleTheKernelDoesNotHoldAfterAnAckFailsVerification) {
  test::FakeKernel k;
  auto old = bytes_of(kOld);
  k.load(old);
  auto wanted = bytes_of(kNew);
  k.swallow_.insert(wanted[3]);
  LoadResult r = load(k, request_of(wanted));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->step, LoadFailure::Step::Verify);
  EXPECT_EQ(r.failure->position, 3u);
  EXPECT_EQ(r.failure->expected_rule, wanted[3]);
  EXPECT_TRUE(r.failure->actual_rule.empty());
  EXPECT_TRUE(r.rollback.verified) << r.rollback.problem;
  EXPECT_EQ(*k.rules(), old);
}

TEST(Load, ImmutableKernelIsRefusedAndNothingIsSent) {
  test::FakeKernel k;
  k.status_.enabled = 2;
  auto old = bytes_of(kOld);
  k.load(old);
  LoadRequest req = request_of(bytes_of(kNew));
  req.settings = {{Setting::BacklogLimit, 8192, {}}};
  req.allow_immutable = true;  // does not matter: a locked kernel takes nothing
  LoadResult r = load(k, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->step, LoadFailure::Step::Refused);
  EXPECT_EQ(r.failure->error.error, EPERM);
  EXPECT_EQ(k.messages_, 0u);
  EXPECT_FALSE(r.rollback.attempted);
  EXPECT_EQ(*k.rules(), old);
}

TEST(Load, EnabledTwoIsNeverSentWithoutTheFlag) {
  test::FakeKernel k;
  LoadRequest req = request_of(bytes_of(kNew));
  req.settings = {{Setting::Enabled, 2, {}}, {Setting::LoginuidImmutable, 1, {}}};
  LoadResult r = load(k, req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(k.status_.enabled, 0u);
  EXPECT_FALSE(k.status_.loginuid_immutable);
}

}  // namespace
}  // namespace af::kernel
