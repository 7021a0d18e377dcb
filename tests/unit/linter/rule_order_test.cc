// The rule-order index (anchors, syscall and perm buckets) must find exactly what comparing
// every pair of rules finds: random rule sets, checked against a brute-force scan.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "../compiler/test_support.h"
#include "compiler/sema/loaded_rules.h"
#include "linter/constraints.h"
#include "linter/linter.h"

namespace af::lint {
namespace {

std::string random_rule(std::mt19937& rng, int i) {
  auto pick = [&](std::initializer_list<const char*> options) {
    std::vector<const char*> v(options);
    return std::string(v[rng() % v.size()]);
  };
  std::string rule = pick({"-a always,exit", "-a never,exit", "-a always,exit", "-A always,exit"});
  rule += pick({" -F arch=b64", " -F arch=b64", " -F arch=b32", ""});
  rule += pick({" -S openat", " -S openat,unlinkat", " -S unlinkat", " -S all", " -S openat,open"});
  int fields = static_cast<int>(rng() % 4);
  for (int f = 0; f < fields; ++f)
    rule +=
        pick({" -F uid=0", " -F uid=1", " -F uid>=1000", " -F auid>=1000", " -F auid!=unset",
              " -F auid=unset", " -F exit=-EACCES", " -F success=0", " -F dir=/etc",
              " -F dir=/etc/ssh", " -F a2&0100", " -F exe=/bin/sh", " -F gid=5", " -F obj_uid=0",
              " -F pid<100", " -F perm=wa", " -F perm=r", " -F path=/etc/shadow"});
  return rule + " -k k" + std::to_string(i % 3);
}

TEST(RuleOrder, IndexFindsWhatAPairwiseScanFinds) {
  std::mt19937 rng(20261127);
  size_t covered = 0, never_reported = 0;
  for (int round = 0; round < 200; ++round) {
    std::string text;
    int n = 5 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) text += random_rule(rng, i) + "\n";
    Compilation c = test::compile(text);
    std::vector<ir::Rule> kernel = sema::loaded_rules(c.rules, c.diags);

    // Brute force: the earliest earlier rule of the list that covers each rule.
    std::vector<Constraints> cons;
    for (const ir::Rule& r : kernel) cons.push_back(constraints_of(r));
    std::set<uint32_t> expected;
    for (size_t i = 0; i < kernel.size(); ++i) {
      if (cons[i].contradictory) continue;
      for (size_t j = 0; j < i; ++j)
        if (subsumes(kernel[j], cons[j], kernel[i], cons[i])) {
          expected.insert(kernel[i].origin.range.line);
          break;
        }
    }

    // never after always: an earlier always rule that overlaps, unless one covers it.
    std::set<uint32_t> expected_never;
    for (size_t i = 0; i < kernel.size(); ++i) {
      if (kernel[i].action != ir::Action::Never || cons[i].contradictory) continue;
      bool overlaps = false, covered = false;
      for (size_t j = 0; j < i; ++j) {
        if (kernel[j].action != ir::Action::Always) continue;
        if (!may_overlap(kernel[j], cons[j], kernel[i], cons[i])) continue;
        overlaps = true;
        covered |= subsumes(kernel[j], cons[j], kernel[i], cons[i]);
      }
      if (overlaps && !covered) expected_never.insert(kernel[i].origin.range.line);
    }

    LintInput in;
    in.compilation = &c;
    in.kernel_rules = &kernel;
    std::set<uint32_t> found, found_never;
    for (const Finding& f : lint(in)) {
      if (f.check == "correctness-shadowed-rule" || f.check == "correctness-duplicate-rule")
        found.insert(f.range.line);
      if (f.check == "correctness-never-after-always") found_never.insert(f.range.line);
    }
    ASSERT_EQ(found, expected) << text;
    ASSERT_EQ(found_never, expected_never) << text;
    never_reported += expected_never.size();
    covered += expected.size();
  }
  EXPECT_GT(covered, 500u) << "the random rule sets should shadow often";
  EXPECT_GT(never_reported, 100u) << "and place never rules after always rules often";
}

}  // namespace
}  // namespace af::lint
