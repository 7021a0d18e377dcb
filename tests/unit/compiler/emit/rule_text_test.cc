// The canonical text must be what auditctl 3.0.9 -l prints for the same rule; the cases
// below were checked against auditctl -l on a 6.x kernel (tests/kernel covers whole files).
#include "compiler/emit/rule_text.h"

#include <gtest/gtest.h>

#include "tests/unit/compiler/test_support.h"

namespace af::emit {
namespace {

std::string canon(const std::string& line) {
  auto c = test::compile(line + "\n");
  auto rules = test::rules(c);
  if (rules.size() != 1) return "<" + ::testing::PrintToString(test::ids(c)) + ">";
  return rule_text(rules[0], 1 /* MACH_86_64 */);
}

TEST(RuleText, SyscallsAreListedByNumberAndNamedForTheArch) {
  EXPECT_EQ(canon("-a exit,always -F arch=b64 -S openat,open -k x"),
            "-a always,exit -F arch=b64 -S open,openat -F key=x");
  EXPECT_EQ(canon("-a always,exit -F arch=b32 -S open"), "-a always,exit -F arch=b32 -S open");
  EXPECT_EQ(canon("-a always,exit -F arch=b64 -S 400,all"), "-a always,exit -F arch=b64 -S all");
}

TEST(RuleText, ValuesPrintAsTheKernelStoresThem) {
  EXPECT_EQ(canon("-a always,exit -F arch=b32 -S open -F exit=-EPERM -F a1&0100 -F uid=0 "
                  "-F auid!=-1"),
            "-a always,exit -F arch=b32 -S open -F exit=-EPERM -F a1&0x40 -F uid=0 -F auid!=-1");
  EXPECT_EQ(canon("-a always,exit -S all -F filetype=file -F success=0 -F exit=13"),
            "-a always,exit -S all -F filetype=file -F success=0 -F exit=13");
  EXPECT_EQ(canon("-a always,exit -S open -F a0=-1 -F auid=unset -F inode=12 -F pers=0x10"),
            "-a always,exit -S open -F a0=0xFFFFFFFF -F auid=-1 -F inode=12 -F pers=16");
}

TEST(RuleText, WatchShapedRulesPrintAsWatches) {
  EXPECT_EQ(canon("-w /etc/passwd -p wa -k passwd"), "-w /etc/passwd -p wa -k passwd");
  EXPECT_EQ(canon("-w /etc/passwd"), "-w /etc/passwd -p rwxa");
  EXPECT_EQ(canon("-a exit,always -F path=/etc/shadow -F perm=r"), "-w /etc/shadow -p r");
  EXPECT_EQ(canon("-a always,exit -F dir=/etc -F perm=r -F key=x"), "-w /etc -p r -k x");
  // With an arch field it is a syscall rule again.
  EXPECT_EQ(canon("-a always,exit -F arch=b64 -F path=/etc/shadow -F perm=r"),
            "-a always,exit -F arch=b64 -S all -F path=/etc/shadow -F perm=r");
}

TEST(RuleText, ListsWithoutSyscallsPrintNoS) {
  EXPECT_EQ(canon("-a always,user -F uid=0"), "-a always,user -F uid=0");
  EXPECT_EQ(canon("-a never,exclude -F msgtype=CWD"), "-a never,exclude -F msgtype=CWD");
  EXPECT_EQ(canon("-a never,filesystem -F fstype=tracefs"),
            "-a never,filesystem -F fstype=tracefs");
  EXPECT_EQ(canon("-a task,never"), "-a never,task");
}

TEST(RuleText, SourceFormsKeepPrependAndDelete) {
  EXPECT_EQ(canon("-A always,exit -F arch=b64 -S kill"), "-A always,exit -F arch=b64 -S kill");
  EXPECT_EQ(canon("-d always,exit -F arch=b64 -S kill"), "-d always,exit -F arch=b64 -S kill");
  EXPECT_EQ(canon("-W /etc/passwd -p wa"), "-W /etc/passwd -p wa");
}

TEST(RuleText, SourceFormKeepsWhatTheListingWouldLose) {
  // auditctl -l prints b64 for aarch64 and a number for the file type; neither reloads.
  EXPECT_EQ(canon("-a always,exit -F arch=aarch64 -S openat -F filetype=dir"),
            "-a always,exit -F arch=aarch64 -S openat -F filetype=dir");
  // "-w PATH/" would be trimmed on reload, so a dir= with a slash keeps the -a form.
  EXPECT_EQ(canon("-a always,exit -F dir=/etc/ -F perm=wa"),
            "-a always,exit -S all -F dir=/etc/ -F perm=wa");
  EXPECT_EQ(canon("-w /srv/my\\ dir -k a\\\\b"), "-w /srv/my\\ dir -p rwxa -k a\\\\b");
}

TEST(RuleText, ComparisonsAndStrings) {
  EXPECT_EQ(canon("-a always,exit -S all -F subj_type=foo_t -C obj_uid!=auid"),
            "-a always,exit -S all -F subj_type=foo_t -C auid!=obj_uid");
  EXPECT_EQ(canon("-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/ls"),
            "-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/ls");
}

TEST(ControlText, CanonicalSpellings) {
  auto c =
      test::compile("-D\n-b 0x10\n--backlog_wait_time=60000\n-e 1 -f 1\n--loginuid-immutable\n");
  std::vector<std::string> lines;
  for (const auto& s : c.rules.statements)
    if (auto* ctl = std::get_if<ir::Control>(&s)) lines.push_back(control_text(*ctl));
  EXPECT_EQ(lines, (std::vector<std::string>{"-D", "-b 16", "--backlog_wait_time 60000", "-e 1",
                                             "-f 1", "--loginuid-immutable"}));
}

}  // namespace
}  // namespace af::emit
