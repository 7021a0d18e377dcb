// Parallel replay must give exactly the single-threaded summary: parts are cut small here so
// that seams fall inside interleaved events, next to records from seconds ago, inside runs of
// hits in one second, among malformed lines and across the hour after which the per-second
// timeline is dropped.
#include "simulator/parallel_replay.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "tests/unit/simulator/sim_support.h"

namespace af::sim {
namespace {

std::string header(const char* type, uint64_t ms, uint64_t serial) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "type=%s msg=audit(%llu.%03llu:%llu):", type,
                static_cast<unsigned long long>(ms / 1000),
                static_cast<unsigned long long>(ms % 1000),
                static_cast<unsigned long long>(serial));
  return buf;
}

std::string syscall_line(uint64_t ms, uint64_t serial, int syscall, int uid, int a0) {
  return header("SYSCALL", ms, serial) + " arch=c000003e syscall=" + std::to_string(syscall) +
         " success=yes exit=3 a0=" + std::to_string(a0) +
         " a1=0 a2=0 a3=0 items=1 ppid=1 pid=7 auid=1000 uid=" + std::to_string(uid) +
         " gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" "
         "exe=\"/usr/bin/x\" key=(null)\n";
}

// A log with all the awkward cases; `span_ms` decides whether it lasts more than an hour.
std::string make_log(int events, uint64_t span_ms, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string log;
  uint64_t ms = 1700000000000, serial = 1;
  const uint64_t step = span_ms / static_cast<uint64_t>(events);
  static const char* kNames[] = {"/etc/passwd", "rel/name", "/d1/x", "/tmp/y"};
  for (int i = 0; i < events; ++i) {
    ms += step + (rng() % 3 == 0 ? 0 : rng() % (step + 1));
    int uid = 1000 + static_cast<int>(rng() % 130);
    int a0 = rng() % 4 == 0 ? 3 : -100;  // 3: a dirfd, so relative names cannot be placed
    uint64_t s = serial++;
    std::string syscall = syscall_line(ms, s, rng() % 2 ? 257 : 2, uid, a0);
    std::string path = header("PATH", ms, s) + " item=0 name=\"" + kNames[rng() % 4] +
                       "\" inode=5 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 "
                       "nametype=NORMAL\n";
    std::string title = header("PROCTITLE", ms, s) + " proctitle=78\n";
    switch (rng() % 8) {
      case 0: {  // interleaved with the next event
        uint64_t s2 = serial++;
        log += syscall + syscall_line(ms, s2, 257, uid, -100) + path + title;
        log += header("PROCTITLE", ms, s2) + " proctitle=79\n";
        break;
      }
      case 1:  // a straggler from seconds ago, and a record without its SYSCALL
        log += syscall + path + title;
        log += header("CWD", ms - 5000 - rng() % 5000, serial++) + " cwd=\"/\"\n";
        break;
      case 2:
        log += "garbage line " + std::to_string(i) + "\n\n";
        log += syscall + title;
        break;
      case 3:  // a user message, then an event left open until the timeout closes it
        log += header("USER_LOGIN", ms, serial++) +
               " pid=9 uid=0 auid=1000 ses=2 msg='op=login "
               "acct=\"u\" exe=\"/usr/sbin/sshd\" res=success'\n";
        log += syscall + path;
        break;
      default:
        log += syscall + path + title;
        break;
    }
  }
  return log;
}

const std::string kRules = [] {
  std::string rules;
  // 130 rules that are undetermined for dirfd-relative names: more reasons than are kept.
  for (int u = 0; u < 130; ++u)
    rules += "-a always,exit -F arch=b64 -S openat -F uid=" + std::to_string(1000 + u) +
             " -F dir=/d" + std::to_string(u % 7) + " -k d" + std::to_string(u) + "\n";
  rules += "-a never,exit -F arch=b64 -S open -F uid=1001\n";
  rules += "-w /etc/passwd -p r -k passwd\n";
  rules += "-a always,exit -F arch=b64 -S all -k all\n";
  return rules;
}();

void write_file(const std::string& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

std::string summarise(const std::string& rules, const std::string& file, unsigned threads,
                      uint64_t part_bytes, ParallelStats* stats) {
  Compilation c = test::compile(rules);
  RuleBook book(sema::loaded_rules(c.rules, c.diags));
  std::vector<RuleLabel> labels(book.rules().size());
  Summary summary(labels);
  ReplayResult result;
  if (threads == 1) {
    LineSource source({file});
    result = replay(
        source, {&book}, {},
        [&](const ReplayedEvent& e, const std::vector<Decision>& d) { summary.add(e, d[0]); });
  } else {
    ParallelOptions o;
    o.threads = threads;
    o.min_part_bytes = part_bytes;
    EXPECT_TRUE(parallel_worthwhile({file}, o));
    result = replay_parallel(file, book, summary, o, stats);
  }
  EXPECT_EQ(result.error, "");
  return summary.to_json(result.reader).dump(1);
}

class ParallelReplay : public ::testing::TestWithParam<uint64_t> {};

TEST_P(ParallelReplay, SameSummaryAsOneThread) {
  // One file per instance: ctest runs the instances at the same time.
  std::string file =
      ::testing::TempDir() + "/parallel_replay_" + std::to_string(GetParam()) + ".log";
  write_file(file, make_log(3000, GetParam(), static_cast<uint32_t>(GetParam())));
  std::string one = summarise(kRules, file, 1, 0, nullptr);
  ASSERT_NE(one.find("\"malformed\": "), std::string::npos) << one.substr(0, 400);
  for (unsigned threads : {2u, 3u}) {
    for (uint64_t part : {4096u, 20000u, 100000u}) {
      ParallelStats stats;
      EXPECT_EQ(summarise(kRules, file, threads, part, &stats), one)
          << threads << " threads, parts of " << part << " bytes";
      EXPECT_GT(stats.parts, 1u);
    }
  }
  std::remove(file.c_str());
}

// Readers view lines in their read buffer and copy the lines of open events only before a
// refill: with blocks of a few lines, events are open across nearly every refill, on one
// thread and on several.
TEST_P(ParallelReplay, SameSummaryWithTinyReadBlocks) {
  std::string file =
      ::testing::TempDir() + "/parallel_replay_tiny_" + std::to_string(GetParam()) + ".log";
  write_file(file, make_log(1500, GetParam(), static_cast<uint32_t>(GetParam()) + 1));
  std::string one = summarise(kRules, file, 1, 0, nullptr);
  const size_t saved = LineSource::block_bytes;
  for (size_t block : {64u, 300u}) {
    LineSource::block_bytes = block;
    EXPECT_EQ(summarise(kRules, file, 1, 0, nullptr), one) << "blocks of " << block;
    ParallelStats stats;
    EXPECT_EQ(summarise(kRules, file, 2, 8192, &stats), one) << "blocks of " << block;
  }
  LineSource::block_bytes = saved;
  std::remove(file.c_str());
}

// Ten minutes (per-second timeline kept) and three hours (dropped).
INSTANTIATE_TEST_SUITE_P(Spans, ParallelReplay, ::testing::Values(600000u, 10800000u));

// A dense log (a thousand events a second), so that each seam's state is worked out from a
// look-back that starts far from the beginning: the parts must stand on their own, none read
// twice, and still sum up to the single-threaded summary.
TEST(ParallelReplayDense, PartsStandAlone) {
  std::string file = ::testing::TempDir() + "/parallel_replay_dense.log";
  write_file(file, make_log(60000, 60000, 7));
  std::string one = summarise(kRules, file, 1, 0, nullptr);
  ParallelStats stats;
  EXPECT_EQ(summarise(kRules, file, 2, 2u << 20, &stats), one);
  EXPECT_GT(stats.parts, 2u);
  EXPECT_EQ(stats.reread, 0u);
  std::remove(file.c_str());
}

// A record from an hour ahead near the start (a clock jump) keeps events open far longer than
// any look-back: the parts' guessed states are wrong, and the stitching must notice and read
// them again rather than trust them.
TEST(ParallelReplayDense, WrongSeamStatesAreReadAgain) {
  std::string file = ::testing::TempDir() + "/parallel_replay_jump.log";
  std::string log = make_log(60000, 60000, 11);
  size_t second_line = log.find('\n') + 1;
  log.insert(second_line, syscall_line(1700000000000 + 3600000, 999999999, 257, 1000, -100));
  write_file(file, log);
  std::string one = summarise(kRules, file, 1, 0, nullptr);
  ParallelStats stats;
  EXPECT_EQ(summarise(kRules, file, 2, 2u << 20, &stats), one);
  EXPECT_GT(stats.reread, 0u);
  std::remove(file.c_str());
}

}  // namespace
}  // namespace af::sim
