#include <gtest/gtest.h>

#include "tests/unit/compiler/test_support.h"

namespace af::sema {
namespace {

using test::compile;
using test::ids;
using test::rules;
using Ids = std::vector<std::string>;

// The first diagnostic's id and the text its range starts at, for one-line inputs.
std::string first(const std::string& line) {
  auto c = compile(line + "\n");
  if (c.diags.diagnostics().empty()) return "clean";
  const auto& d = c.diags.diagnostics()[0];
  return std::string(d.id()) + "@" + line.substr(d.range.column - 1, 6);
}

TEST(ClassicLower, BuildsTheRuleAuditctlBuilds) {
  auto c = compile("-a exit,always -F arch=b64 -S openat -F success=0 -k k1 -k k2\n");
  EXPECT_EQ(ids(c), Ids{});
  auto r = rules(c).at(0);
  EXPECT_EQ(r.list, ir::List::Exit);
  EXPECT_EQ(r.action, ir::Action::Always);
  EXPECT_EQ(r.arch(), 0xC000003Eu);
  EXPECT_TRUE(r.mask.test(257));
  EXPECT_FALSE(r.mask.test(2));
  EXPECT_EQ(r.joined_key(), "k1\x01k2");
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[1].id, uint32_t{AUDIT_SUCCESS});
}

TEST(ClassicLower, RulesWithoutSyscallsGetAllExceptOnTheTaskList) {
  EXPECT_TRUE(rules(compile("-a always,exclude -F msgtype=CWD\n")).at(0).mask.all());
  EXPECT_FALSE(rules(compile("-a never,task\n")).at(0).mask.all());
}

TEST(ClassicLower, ListAndActionProblems) {
  EXPECT_EQ(first("-a always,bogus"), "semantic-bad-list-action@always");
  EXPECT_EQ(first("-a always"), "semantic-bad-list-action@always");
  EXPECT_EQ(first("-a entry,always -S open"), "semantic-entry-list@entry,");
  // auditctl skips "LIST,possible" but rejects "possible,LIST".
  EXPECT_EQ(first("-a exit,possible -S open"), "semantic-deprecated-action@exit,p");
  EXPECT_EQ(first("-a possible,exit -S open"), "semantic-bad-list-action@possib");
  EXPECT_EQ(first("-a Always,exit"), "semantic-bad-list-action@Always");
  // A watch sets the list, so the list word must come first in a later -a.
  EXPECT_EQ(first("-w /etc/passwd -a exit,never"), "clean");
  EXPECT_EQ(first("-w /etc/passwd -a always,exit"), "semantic-bad-list-action@always");
  EXPECT_EQ(first("-a always,exit -A never,exit"), "semantic-multiple-rule-ops@-A nev");
}

TEST(ClassicLower, FieldProblems) {
  EXPECT_EQ(first("-a always,exit -S all -F bogus=1"), "semantic-unknown-field@bogus=");
  EXPECT_EQ(first("-a always,exit -S all -F msgtype=CWD"), "semantic-field-not-on-list@msgtyp");
  EXPECT_EQ(first("-a never,exclude -F path=/etc"), "semantic-field-not-on-list@path=/");
  EXPECT_EQ(first("-a always,exit -S all -F path!=/etc"), "semantic-operator-not-allowed@!=/etc");
  EXPECT_EQ(first("-a always,exit -S all -F uid&1"), "semantic-operator-not-allowed@&1");
  EXPECT_EQ(first("-a always,exit -S all -F perm=rq"), "semantic-bad-perm@rq");
  EXPECT_EQ(first("-a always,exit -S all -F exit=BOGUS"), "semantic-bad-field-value@BOGUS");
  EXPECT_EQ(first("-a always,exit -S all -F pid=x1"), "semantic-bad-field-value@x1");
  EXPECT_EQ(first("-a always,exit -S all -F uid=-1"), "semantic-bad-field-value@-1");
  EXPECT_EQ(first("-a always,exit -S all -F uid=no_such_user_af"), "semantic-unknown-user@no_suc");
  EXPECT_EQ(first("-a always,exit -S all -F filetype=blob"), "semantic-bad-field-value@blob");
  EXPECT_EQ(first("-a always,exit -S all -F path=etc"), "semantic-bad-field-value@etc");
  EXPECT_EQ(first("-F auid=0"), "semantic-no-list@-F aui");
}

TEST(ClassicLower, ArchAndSyscalls) {
  EXPECT_EQ(first("-a always,exit -S open -F arch=b64"), "arch-after-syscall@arch=b");
  EXPECT_EQ(first("-a always,exit -F arch=aarch64 -S open"), "arch-unknown-syscall@open");
  EXPECT_EQ(first("-a always,exit -F arch=b64 -S 2048"), "arch-unknown-syscall@2048");
  EXPECT_EQ(first("-a always,exit -F arch=sparc -S open"), "semantic-bad-field-value@sparc ");
  EXPECT_EQ(first("-a always,exit -S open"), "arch-missing@open");
  EXPECT_EQ(first("-a always,exit -S all"), "clean");
  EXPECT_EQ(first("-a never,task -S open"), "semantic-syscall-on-list@-S ope");
  auto r = rules(compile("-a always,exit -F arch=aarch64 -S openat\n")).at(0);
  EXPECT_TRUE(r.mask.test(56));
  auto b32 = rules(compile("-a always,exit -F arch=b32 -S open\n")).at(0);
  EXPECT_TRUE(b32.mask.test(5));
}

TEST(ClassicLower, Keys) {
  EXPECT_EQ(first("-a always,exit -F auid=0 -k x"), "semantic-key-without-target@-k x");
  EXPECT_EQ(first("-a always,exit -F auid=0 -F key=x"), "semantic-key-without-target@x");
  EXPECT_EQ(first("-a always,exit -S all -k " + std::string(257, 'k')),
            "semantic-key-too-long@kkkkkk");
  EXPECT_EQ(
      first("-a always,exit -S all -k " + std::string(128, 'k') + " -k " + std::string(128, 'k')),
      "semantic-key-too-long@kkkkkk");
  EXPECT_EQ(first("-a always,exit -S all -k " + std::string(256, 'k')), "clean");
  EXPECT_EQ(first("-a always,user -F exe=/usr/bin/sudo -k x"), "clean");
  EXPECT_EQ(first("-D -k mykey"), "clean");
}

TEST(ClassicLower, Watches) {
  EXPECT_EQ(first("-w etc/passwd"), "semantic-watch-path@etc/pa");
  EXPECT_EQ(first("-w /etc/../passwd"), "semantic-watch-path-notation@/etc/.");
  EXPECT_EQ(first("-a always,exit -w /etc/passwd"), "semantic-watch-with-rule@-w /et");
  EXPECT_EQ(first("-p wa -w /etc/passwd"), "semantic-perm-without-target@-p wa ");
  auto r = rules(compile("-w /etc/ssh/ -p wa -k ssh\n")).at(0);
  EXPECT_EQ(r.fields.at(0).text, "/etc/ssh");
  EXPECT_EQ(r.fields.at(1).value, uint32_t{AUDIT_PERM_WRITE | AUDIT_PERM_ATTR});
}

TEST(ClassicLower, TooManyFields) {
  std::string line = "-a always,exit -S all";
  for (int i = 0; i < 63; ++i) line += " -F pid=" + std::to_string(i);
  EXPECT_EQ(first(line), "clean");
  EXPECT_EQ(first(line + " -F pid=99"), "semantic-too-many-fields@pid=99");
}

TEST(ClassicLower, Controls) {
  EXPECT_EQ(first("-e 3"), "semantic-bad-control-value@3");
  EXPECT_EQ(first("-f x"), "semantic-bad-control-value@x");
  EXPECT_EQ(first("-b -5"), "semantic-bad-control-value@-5");
  EXPECT_EQ(first("--bogus"), "syntax-unknown-option@--bogu");
  EXPECT_EQ(first("-R /etc/audit/audit.rules"), "semantic-nested-rules-file@-R /et");
  EXPECT_EQ(first("-e 1 # enable"), "syntax-trailing-comment@# enab");
  EXPECT_EQ(first("hello"), "syntax-stray-word@hello");
}

TEST(ClassicLower, NothingChangesAfterImmutable) {
  auto c = compile("-w /etc/passwd\n-e 2\n-w /etc/shadow\n");
  EXPECT_EQ(ids(c), Ids{"semantic-after-immutable"});
  EXPECT_EQ(c.diags.diagnostics()[0].range.line, 3u);
}

TEST(ClassicLower, CommentsAndBlankLinesAreKeptForFmt) {
  auto c = compile("# header\n\n-D\n");
  ASSERT_EQ(c.rules.statements.size(), 3u);
  EXPECT_EQ(std::get<ir::Comment>(c.rules.statements[0]).text, "# header");
  EXPECT_EQ(std::get<ir::Comment>(c.rules.statements[1]).text, "");
}

}  // namespace
}  // namespace af::sema
