#include "linter/constraints.h"

#include <gtest/gtest.h>

#include "../compiler/test_support.h"

namespace af::lint {
namespace {

ir::Rule rule(const std::string& text) {
  Compilation c = test::compile(text + "\n");
  EXPECT_FALSE(c.diags.has_errors()) << text;
  auto rules = test::rules(c);
  EXPECT_EQ(rules.size(), 1u) << text;
  return rules.empty() ? ir::Rule{} : rules[0];
}

bool covers(const std::string& a, const std::string& b) {
  ir::Rule ra = rule(a), rb = rule(b);
  return subsumes(ra, constraints_of(ra), rb, constraints_of(rb));
}

bool overlap(const std::string& a, const std::string& b) {
  ir::Rule ra = rule(a), rb = rule(b);
  return may_overlap(ra, constraints_of(ra), rb, constraints_of(rb));
}

TEST(ValueSet, ComparesUnsigned) {
  EXPECT_TRUE(ValueSet::of(ir::Op::Less, 0).empty());
  EXPECT_TRUE(ValueSet::of(ir::Op::Greater, UINT32_MAX).empty());
  EXPECT_TRUE(ValueSet::of(ir::Op::GreaterEqual, 0).is_all());
  ValueSet not5 = ValueSet::of(ir::Op::NotEqual, 5);
  EXPECT_FALSE(not5.contains(5));
  EXPECT_TRUE(not5.contains(4) && not5.contains(6) && not5.contains(UINT32_MAX));
  EXPECT_TRUE(ValueSet::of(ir::Op::Equal, 7).subset_of(not5));
  EXPECT_TRUE(ValueSet::of(ir::Op::Equal, 5).intersect(not5).empty());
  EXPECT_EQ(ValueSet::from({{0, 3}, {4, 9}}), ValueSet::of(ir::Op::LessEqual, 9)
                                                  .intersect(ValueSet::of(ir::Op::NotEqual, 10))
                                                  .intersect(ValueSet::from({{0, 9}, {20, 30}})));
}

TEST(Constraints, AuidUnsetIsRewrittenAsTheKernelDoes) {
  // auid<unset becomes "loginuid_set < 0": never true; auid>unset is "set" (§2.5).
  ir::Field below{AUDIT_LOGINUID, ir::Op::Less, UINT32_MAX, "", {}};
  EXPECT_TRUE(values_of(below).empty());
  ir::Field above{AUDIT_LOGINUID, ir::Op::Greater, UINT32_MAX, "", {}};
  EXPECT_EQ(values_of(above), ValueSet::of(ir::Op::Less, UINT32_MAX));
  EXPECT_FALSE(constraints_of(rule("-a always,exit -F arch=b64 -S open -F auid>=1000 -F "
                                   "auid!=unset -k k"))
                   .contradictory);
  EXPECT_TRUE(constraints_of(rule("-a always,exit -F arch=b64 -S open -F auid>=1000 -F "
                                  "auid<500 -k k"))
                  .contradictory);
  // gid=1 and gid=2 can both hold: supplementary groups (§5.5).
  EXPECT_FALSE(constraints_of(rule("-a always,exit -F arch=b64 -S open -F gid=1 -F gid=2 -k k"))
                   .contradictory);
  // obj_uid is tested against every PATH item.
  EXPECT_FALSE(
      constraints_of(rule("-a always,exit -F arch=b64 -S open -F obj_uid=1 -F obj_uid=2 -k k"))
          .contradictory);
  EXPECT_TRUE(constraints_of(rule("-a always,exit -F arch=b64 -S open -F success=1 -F "
                                  "success=0 -k k"))
                  .contradictory);
}

TEST(Subsumption, NeedsAWiderMaskAndImpliedConditions) {
  EXPECT_TRUE(covers("-a always,exit -F arch=b64 -S open,openat -F auid>=1000 -k a",
                     "-a always,exit -F arch=b64 -S openat -F auid>=1000 -F uid=5 -k b"));
  EXPECT_FALSE(covers("-a always,exit -F arch=b64 -S openat -F auid>=1000 -k a",
                      "-a always,exit -F arch=b64 -S open,openat -F auid>=1000 -k b"));
  EXPECT_FALSE(covers("-a always,exit -F arch=b64 -S openat -F auid>=1000 -F uid=5 -k a",
                      "-a always,exit -F arch=b64 -S openat -F auid>=1000 -k b"));
  // auid!=-1 and auid!=unset are the same condition.
  EXPECT_TRUE(covers("-a always,exit -F arch=b64 -S openat -F auid!=-1 -k a",
                     "-a always,exit -F arch=b64 -S openat -F auid!=unset -k b"));
  // No arch condition covers every arch; arch=b64 does not cover an arch-less rule.
  EXPECT_TRUE(covers("-a always,exit -S openat -k a", "-a always,exit -F arch=b64 -S openat -k b"));
  EXPECT_FALSE(
      covers("-a always,exit -F arch=b64 -S openat -k a", "-a always,exit -S openat -k b"));
  // perm=wa covers perm=w; a bit test only covers the same bit test.
  EXPECT_TRUE(covers("-a always,exit -F path=/etc/shadow -F perm=wa -k a",
                     "-a always,exit -F path=/etc/shadow -F perm=w -k b"));
  EXPECT_FALSE(covers("-a always,exit -F path=/etc/shadow -F perm=w -k a",
                      "-a always,exit -F path=/etc/shadow -F perm=wa -k b"));
  EXPECT_TRUE(covers("-a always,exit -F arch=b64 -S openat -F a2&0100 -k a",
                     "-a always,exit -F arch=b64 -S openat -F a2&0100 -F exit=-EACCES -k b"));
  EXPECT_FALSE(covers("-a always,exit -F arch=b64 -S openat -F a2&0100 -k a",
                      "-a always,exit -F arch=b64 -S openat -F a2&01000 -k b"));
  // A tree covers the trees below it; a trailing '/' changes nothing; a file is not a tree.
  EXPECT_TRUE(covers("-a always,exit -F arch=b64 -S openat -F dir=/etc/ -k a",
                     "-a always,exit -F arch=b64 -S openat -F dir=/etc/ssh -k b"));
  EXPECT_FALSE(covers("-a always,exit -F arch=b64 -S openat -F dir=/etc/ssh -k a",
                      "-a always,exit -F arch=b64 -S openat -F dir=/etc -k b"));
  EXPECT_FALSE(covers("-a always,exit -F arch=b64 -S openat -F dir=/etc -k a",
                      "-a always,exit -F arch=b64 -S openat -F dir=/etcetera -k b"));
  // Lists never cover each other.
  EXPECT_FALSE(covers("-a never,user -F uid=0", "-a never,exclude -F uid=0"));
}

TEST(Overlap, DisjointOnlyWhenProvable) {
  EXPECT_TRUE(overlap("-a always,exit -F arch=b64 -S openat -F success=0 -k a",
                      "-a never,exit -F arch=b64 -S openat,open -F exe=/usr/sbin/nscd"));
  EXPECT_FALSE(
      overlap("-a always,exit -F arch=b64 -S openat -k a", "-a never,exit -F arch=b64 -S open"));
  EXPECT_FALSE(overlap("-a always,exit -F arch=b64 -S openat -F uid=0 -k a",
                       "-a never,exit -F arch=b64 -S openat -F uid=1"));
  // Watches on unrelated trees do not overlap; a tree and a file inside it do.
  EXPECT_FALSE(overlap("-a always,exit -F dir=/var/log/audit -F perm=wa -k a",
                       "-a never,exit -F arch=b64 -F dir=/dev/shm"));
  EXPECT_TRUE(overlap("-a always,exit -F dir=/etc -F perm=wa -k a",
                      "-a never,exit -F arch=b64 -F path=/etc/shadow"));
  EXPECT_FALSE(overlap("-a always,exit -F arch=b64 -S openat -F exe=/a -k a",
                       "-a never,exit -F arch=b64 -S openat -F exe=/b"));
}

}  // namespace
}  // namespace af::lint
