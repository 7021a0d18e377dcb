// The SYSCALL record is read by a fast path that expects the kernel's field order and plain
// number spellings, and hands over to the general name=value walk at the first surprise.
// Whatever the bytes, both must give the same facts: a body that starts with a space is
// never taken by the fast path, so it is read by the general walk alone.
#include "simulator/model/syscall_facts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/simulator/sim_support.h"

namespace af::sim {
namespace {

SyscallFacts facts_of(const std::string& body, const FactNeeds& needs) {
  Event e;
  Record r;
  r.type = "SYSCALL";
  r.kind = RecordKind::Syscall;
  r.body = body;
  e.records.push_back(r);
  SyscallFacts f;
  EXPECT_TRUE(extract_syscall_facts(e, f, needs));
  return f;
}

// The facts read from the SYSCALL record, as one comparable string.
std::string describe(const SyscallFacts& f) {
  std::string s = f.have.to_string();
  for (uint64_t v :
       {uint64_t{f.arch},  uint64_t{f.syscall}, uint64_t{f.success}, static_cast<uint64_t>(f.exit),
        f.args[0],         f.args[1],           f.args[2],           f.args[3],
        uint64_t{f.items}, uint64_t{f.ppid},    uint64_t{f.pid},     uint64_t{f.auid},
        uint64_t{f.uid},   uint64_t{f.gid},     uint64_t{f.euid},    uint64_t{f.suid},
        uint64_t{f.fsuid}, uint64_t{f.egid},    uint64_t{f.sgid},    uint64_t{f.fsgid},
        uint64_t{f.ses},   uint64_t{f.pers}})
    s += " " + std::to_string(v);
  return s + " exe=" + f.exe + " subj=" + f.subj + " key=" + f.recorded_key;
}

std::vector<FactNeeds> needs_to_try() {
  FactNeeds all = FactNeeds::all(), ids, front;
  for (Fact f : {Fact::Auid, Fact::Uid, Fact::Ses}) ids.syscall.set(static_cast<size_t>(f));
  for (Fact f : {Fact::Arch, Fact::Syscall, Fact::Success, Fact::Exit, Fact::A1})
    front.syscall.set(static_cast<size_t>(f));
  return {all, ids, front};
}

// The record body of test::syscall_record, with `overrides` applied.
std::string body(const std::string& overrides) {
  std::string line = test::syscall_record(overrides);
  line.pop_back();  // '\n'
  return line.substr(line.find("): ") + 3);
}

void expect_same_as_general_walk(const std::string& b) {
  for (const FactNeeds& needs : needs_to_try())
    EXPECT_EQ(describe(facts_of(b, needs)), describe(facts_of(" " + b, needs))) << "body: " << b;
}

TEST(SyscallFacts, FastPathReadsWhatTheGeneralWalkReads) {
  const std::string plain = body("");
  ASSERT_TRUE(plain.starts_with("arch=c000003e syscall=257 success=yes"));
  EXPECT_EQ(facts_of(plain, FactNeeds::all()).uid, 1000u);
  std::vector<std::string> bodies = {
      plain,
      body("success=no exit=-13 a0=FFFFFF9C auid=4294967295 ses=4294967295"),
      body("exit=-9223372036854775808 a1=ffffffffffffffff"),  // longer than the fast path takes
      body("a0=0x10 uid=0000000000001000 gid=4294967296 euid=-1 suid=+1"),
      body("arch=0c000003e exit=- pid= success=maybe ses=1x"),
      body("a1=\"x y\" a2='p q' uid=5"),  // quoted values may hold spaces
      body("auid=0 uid=0"),
      "arch=c000003e syscall=59 per=400000 success=yes exit=0 a0=1 items=2 uid=7",
      "arch=c000003e syscall=231 a0=0 a1=3c a2=0 a3=0 items=0 ppid=1 pid=2 auid=3 uid=4",
      "arch=c000003e  syscall=2 success=yes bare exit=1 uid=9 uid=10 auid=1 auid=2",
      "arch=3e",
      "syscall=1 arch=c000003e uid=3",
  };
  for (const std::string& b : bodies) {
    expect_same_as_general_walk(b);
    // Every cut of the body: values and names end at every possible byte.
    for (size_t n = 0; n < b.size(); ++n) expect_same_as_general_walk(b.substr(0, n));
  }
}

}  // namespace
}  // namespace af::sim
