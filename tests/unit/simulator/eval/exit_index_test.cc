// ExitIndex must only ever drop rules that cannot match: the same decisions as trying every
// candidate in order (RuleBook does the full scan when asked for a trace), over random rule
// sets and events drawn from small value ranges so that rules do match.
#include "simulator/eval/exit_index.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/unit/simulator/sim_support.h"

namespace af::sim {
namespace {

using test::book;
using test::cwd_record;
using test::path_record;
using test::syscall_record;

std::string random_rule(std::mt19937& rng, int n) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  static const char* kSyscalls[] = {"-S openat", "-S all", "-S openat,unlinkat", "-S unlinkat"};
  static const char* kDirs[] = {"/etc", "/etc/ssh", "/home", "/", "/tmp/x"};
  static const char* kExes[] = {"/usr/bin/cat", "/usr/bin/vi", "/bin/sh"};
  std::string r = std::string(pick(5) == 0 ? "-a never,exit" : "-a always,exit") + " -F arch=b64 " +
                  kSyscalls[pick(4)];
  switch (pick(9)) {
    case 0:
      r += " -F uid=" + std::to_string(1000 + pick(3));
      break;
    case 1:
      r += " -F a0=" + std::to_string(pick(4));
      break;
    case 2:
      r += " -F auid=" + std::to_string(1000 + pick(3)) + " -F uid!=0";
      break;
    case 3:
      r += " -F exit=-" + std::to_string(1 + pick(3));
      break;
    case 4:
      r += std::string(" -F exe=") + kExes[pick(3)];
      break;
    case 5:
      r += std::string(" -F dir=") + kDirs[pick(5)];
      break;
    case 6:
      r += " -F auid>=1000 -F auid!=unset";
      break;
    case 7:
      r += " -F success=" + std::to_string(pick(2));
      break;
    default:
      r += " -F pid=" + std::to_string(100 + pick(2)) + " -F dir=/etc";
      break;
  }
  if (pick(6) == 0) r += " -F auid=-1";
  return r + " -k k" + std::to_string(n) + "\n";
}

std::string random_event(std::mt19937& rng) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  static const char* kNames[] = {
      "/etc/passwd", "/etc/ssh/sshd_config", "passwd", "/home/a/b", "/tmp/x",
      "/tmp/xy",     "../etc/hosts",         "/"};
  std::string fields = "uid=" + std::to_string(1000 + pick(3)) +
                       " auid=" + std::to_string(pick(4) == 0 ? 4294967295u : 1000 + pick(3)) +
                       " a0=" + std::to_string(pick(4)) + " pid=" + std::to_string(100 + pick(2));
  fields += pick(2) ? " syscall=257" : " syscall=263";
  if (pick(3) == 0) fields += " success=no exit=-" + std::to_string(1 + pick(3));
  static const char* kExes[] = {"/usr/bin/cat", "/usr/bin/vi", "/bin/sh"};
  fields += std::string(" exe=\"") + kExes[pick(3)] + "\"";
  if (pick(8) == 0) fields += " exe=-";  // a record without exe=
  if (pick(8) == 0) fields += " a0=-";
  if (pick(3) == 0) fields += " a0=3";  // dirfd 3: relative names cannot be placed
  int items = pick(3);
  std::string log;
  std::string paths;
  for (int i = 0; i < items; ++i)
    paths += path_record(i, kNames[pick(8)], pick(5) == 0 ? "" : "0100644");
  bool drop_paths = items > 0 && pick(10) == 0;  // PATH records lost
  log = syscall_record(fields + " items=" + std::to_string(items));
  if (pick(4) != 0) log += cwd_record(pick(2) ? "/etc" : "/home/a");
  if (!drop_paths) log += paths;
  return log;
}

TEST(ExitIndex, SameDecisionsAsTryingEveryRule) {
  std::mt19937 rng(20261127);
  int compared = 0, decided_by_rule = 0;
  for (int set = 0; set < 150; ++set) {
    std::string rules;
    int count = 12 + static_cast<int>(rng() % 50);
    for (int n = 0; n < count; ++n) rules += random_rule(rng, n);
    auto b = book(rules);
    for (int e = 0; e < 40; ++e) {
      std::string log = random_event(rng);
      SyscallFacts facts;
      for (const Event& ev : test::events(log)) {
        if (!extract_syscall_facts(ev, facts)) continue;
        Decision fast = b->decide_syscall(facts);
        std::vector<ExplainStep> trace;
        Decision full = b->decide_syscall(facts, &trace);
        ASSERT_EQ(fast.verdict, full.verdict) << rules << log;
        ASSERT_EQ(fast.rule, full.rule) << rules << log;
        ASSERT_EQ(fast.key, full.key) << rules << log;
        ASSERT_EQ(fast.logged, full.logged) << rules << log;
        ++compared;
        if (full.rule >= 0) ++decided_by_rule;
      }
    }
  }
  EXPECT_EQ(compared, 150 * 40);
  EXPECT_GT(decided_by_rule, compared / 3);  // the sets do match, not only miss
}

// The selection itself: a uid= rule for another user, an exe= rule for another program and a
// dir= rule for another tree are left out; rules filed nowhere and the ones that fit stay.
TEST(ExitIndex, KeepsOnlyRulesThatFitTheEvent) {
  std::string rules;
  for (int i = 0; i < 6; ++i)
    rules += "-a always,exit -F arch=b64 -S openat -F uid=" + std::to_string(2000 + i) + " -k u" +
             std::to_string(i) + "\n";
  rules += "-a always,exit -F arch=b64 -S openat -F exe=/usr/bin/vi -k vi\n";    // 6
  rules += "-a always,exit -F arch=b64 -S openat -F exe=/usr/bin/cat -k cat\n";  // 7
  rules += "-a always,exit -F arch=b64 -S openat -F dir=/etc/ssh -k ssh\n";      // 8
  rules += "-a always,exit -F arch=b64 -S openat -F dir=/etc -k etc\n";          // 9
  rules += "-a always,exit -F arch=b64 -S openat -F uid=1000 -k me\n";           // 10
  rules += "-a always,exit -F arch=b64 -S openat -F auid>=1000 -k any\n";        // 11
  rules += "-a always,exit -F arch=b64 -S openat -F dir=/var -k var\n";          // 12
  Compilation c = test::compile(rules);
  std::vector<ir::Rule> loaded = sema::loaded_rules(c.rules, c.diags);
  for (ir::Rule& r : loaded)
    for (ir::Field& f : r.fields)
      if (f.id == AUDIT_DIR) f.text = resolve_path(f.text, "/");
  std::vector<FastRule> fast;
  std::vector<uint32_t> all;
  for (uint32_t i = 0; i < loaded.size(); ++i) {
    fast.push_back(compile_fast(loaded[i]));
    all.push_back(i);
  }
  ExitIndex index(all, loaded, fast);
  ASSERT_TRUE(index.worthwhile());
  SyscallFacts facts;
  auto evs = test::events(syscall_record("") + path_record(0, "/etc/hosts"));
  ASSERT_TRUE(extract_syscall_facts(evs.at(0), facts));
  SlotValues slots;
  fill_slots(facts, slots);
  std::vector<uint32_t> kept;
  index.select(facts, slots, kept);
  EXPECT_EQ(kept, (std::vector<uint32_t>{7, 9, 10, 11}));
  // Without exe= in the record every exe= rule stays: the log cannot rule them out.
  evs = test::events(syscall_record("exe=-") + path_record(0, "/etc/ssh/x"));
  ASSERT_TRUE(extract_syscall_facts(evs.at(0), facts));
  fill_slots(facts, slots);
  index.select(facts, slots, kept);
  EXPECT_EQ(kept, (std::vector<uint32_t>{6, 7, 8, 9, 10, 11}));
}

}  // namespace
}  // namespace af::sim
