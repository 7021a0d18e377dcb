#include "simulator/log/event_grouper.h"

#include <gtest/gtest.h>

#include "tests/unit/simulator/sim_support.h"

namespace af::sim {
namespace {

TEST(EventGrouper, GroupsInterleavedRecordsByTimestampAndSerial) {
  std::string log =
      "type=SYSCALL msg=audit(1700000000.100:7): arch=c000003e syscall=2\n"
      "type=SYSCALL msg=audit(1700000000.101:8): arch=c000003e syscall=3\n"
      "type=CWD msg=audit(1700000000.100:7): cwd=\"/\"\n"
      "type=PROCTITLE msg=audit(1700000000.101:8): proctitle=6c73\n"
      "type=PROCTITLE msg=audit(1700000000.100:7): proctitle=6c73\n";
  auto events = test::events(log);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].serial, 8u);  // closed first, by its PROCTITLE
  EXPECT_EQ(events[0].records.size(), 2u);
  EXPECT_EQ(events[1].serial, 7u);
  EXPECT_EQ(events[1].records.size(), 3u);
  EXPECT_EQ(events[1].id(), "1700000000.100:7");
}

TEST(EventGrouper, NodeSeparatesEventsWithTheSameStamp) {
  std::string log =
      "node=a type=SYSCALL msg=audit(1700000000.100:7): syscall=2\n"
      "node=b type=SYSCALL msg=audit(1700000000.100:7): syscall=2\n";
  auto events = test::events(log);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].node, events[1].node);
}

TEST(EventGrouper, ClosesAnEventWithoutEndRecordAfterTheTimeout) {
  std::vector<uint64_t> closed;
  EventGrouper g([&](Event& e) { closed.push_back(e.serial); });
  g.add_line("type=SYSCALL msg=audit(1700000000.000:1): syscall=2", {0, 1});
  g.add_line("type=SYSCALL msg=audit(1700000001.000:2): syscall=2", {0, 2});
  EXPECT_TRUE(closed.empty());
  g.add_line("type=SYSCALL msg=audit(1700000003.000:3): syscall=2", {0, 3});
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0], 1u);
  EXPECT_EQ(g.stats().closed_by_timeout, 1u);
  g.finish();
  EXPECT_EQ(closed.size(), 3u);
}

TEST(EventGrouper, CountsMalformedLinesWithTheirPosition) {
  EventGrouper g([](Event&) {});
  EXPECT_FALSE(g.add_line("# a comment", {0, 1}));
  EXPECT_TRUE(g.add_line("", {0, 2}));
  EXPECT_FALSE(g.add_line("type=SYSCALL msg=audit(garbage", {0, 3}));
  EXPECT_EQ(g.stats().malformed, 2u);
  ASSERT_EQ(g.stats().malformed_first.size(), 2u);
  EXPECT_EQ(g.stats().malformed_first[1].where.line, 3u);
}

TEST(EventGrouper, EndOfEventTypes) {
  EXPECT_TRUE(ends_event("PROCTITLE"));
  EXPECT_TRUE(ends_event("USER_LOGIN"));
  EXPECT_TRUE(ends_event("DAEMON_START"));
  EXPECT_TRUE(ends_event("UNKNOWN[1105]"));
  EXPECT_FALSE(ends_event("SYSCALL"));
  EXPECT_FALSE(ends_event("AVC"));
  EXPECT_FALSE(ends_event("PATH"));
}

TEST(SyscallFacts, DecodesHexAndCutsTheEnrichedTail) {
  std::string log =
      "type=SYSCALL msg=audit(1700000000.000:1): arch=c000003e syscall=257 success=yes exit=3 "
      "a0=ffffff9c "
      "a1=1 a2=0 a3=0 items=1 ppid=1 pid=2 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
      "egid=0 "
      "sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"x\" exe=2F746D702F6120622F78 "
      "key=6F6E650174776F"
      "\x1d"
      "ARCH=x86_64 SYSCALL=openat\n"
      "type=PATH msg=audit(1700000000.000:1): item=0 name=2F746D702F6120622F66 inode=9 dev=08:01 "
      "mode=0100600 ouid=5 ogid=6 rdev=00:00 nametype=NORMAL\n";
  auto events = test::events(log);
  ASSERT_EQ(events.size(), 1u);
  SyscallFacts f;
  ASSERT_TRUE(extract_syscall_facts(events[0], f));
  EXPECT_EQ(f.exe, "/tmp/a b/x");
  EXPECT_EQ(f.recorded_key, std::string("one\x01two"));
  EXPECT_EQ(f.auid, 4294967295u);
  ASSERT_EQ(f.paths.size(), 1u);
  EXPECT_EQ(f.paths[0].resolved, "/tmp/a b/f");
  EXPECT_EQ(f.paths[0].dev_major, 8u);
  EXPECT_EQ(f.paths[0].ouid, 5u);
}

// A malformed record that repeats a field: the first value counts, whether the parse stops
// early (a rule set that reads only auid) or reads everything (found by the log fuzzer).
TEST(SyscallFacts, RepeatedFieldKeepsItsFirstValue) {
  std::string line = test::syscall_record("auid=1000 key=\"k\"");
  line.insert(line.size() - 1, " auid=0");
  auto events = test::events(line);
  ASSERT_EQ(events.size(), 1u);
  SyscallFacts all, few;
  ASSERT_TRUE(extract_syscall_facts(events[0], all));
  FactNeeds auid_only;
  auid_only.syscall.set(static_cast<size_t>(Fact::Auid));
  ASSERT_TRUE(extract_syscall_facts(events[0], few, auid_only));
  EXPECT_EQ(all.auid, 1000u);
  EXPECT_EQ(few.auid, 1000u);
}

TEST(SyscallFacts, ResolvesRelativeNamesLexically) {
  EXPECT_EQ(resolve_path("../etc/./passwd", "/home/u"), "/home/etc/passwd");
  EXPECT_EQ(resolve_path("x", ""), "");
  EXPECT_EQ(resolve_path("/etc/", ""), "/etc");
  EXPECT_EQ(resolve_path("/", ""), "/");
}

// Absolute names already in normal form take a shortcut; every way of not being in normal
// form must still be normalised.
TEST(SyscallFacts, NormalisesEveryAbsoluteName) {
  EXPECT_EQ(resolve_path("/etc/passwd", "/x"), "/etc/passwd");
  EXPECT_EQ(resolve_path("/etc/.hidden", ""), "/etc/.hidden");
  EXPECT_EQ(resolve_path("/etc/..hidden/a.", ""), "/etc/..hidden/a.");
  EXPECT_EQ(resolve_path("/etc//passwd", ""), "/etc/passwd");
  EXPECT_EQ(resolve_path("//etc", ""), "/etc");
  EXPECT_EQ(resolve_path("/etc/./passwd", ""), "/etc/passwd");
  EXPECT_EQ(resolve_path("/etc/.", ""), "/etc");
  EXPECT_EQ(resolve_path("/etc/ssh/..", ""), "/etc");
  EXPECT_EQ(resolve_path("/etc/ssh/../passwd", ""), "/etc/passwd");
  EXPECT_EQ(resolve_path("/..", ""), "/");
  EXPECT_EQ(resolve_path("/.", ""), "/");
  EXPECT_EQ(resolve_path("/etc/ssh/", ""), "/etc/ssh");
}

}  // namespace
}  // namespace af::sim
