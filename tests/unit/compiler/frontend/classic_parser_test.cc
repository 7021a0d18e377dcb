#include "compiler/frontend/classic_parser.h"

#include <gtest/gtest.h>

namespace af::frontend {
namespace {

struct Parsed {
  diag::DiagnosticSink diags;
  ParsedLine line;
  std::string text;
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->text = std::move(text);
  ClassicParser parser;
  p->line = parser.parse({1, 1, p->text}, p->diags);
  return p;
}

std::string describe(const ParsedLine& l) {
  std::string out;
  for (const ParsedOption& o : l.options) {
    if (!out.empty()) out += ' ';
    switch (o.kind) {
      case OptionKind::Short:
        out += std::string("-") + o.letter;
        break;
      case OptionKind::Long:
        out += "--" + std::string(o.long_name);
        break;
      case OptionKind::Stray:
        out += "stray";
        break;
    }
    if (o.argument) out += "[" + std::string(o.argument->text) + "]";
  }
  return out;
}

TEST(ClassicParser, OptionsTakeTheNextWordWhateverItIs) {
  auto p = parse("-a always,exit -k -a -F key=-S");
  EXPECT_EQ(describe(p->line), "-a[always,exit] -k[-a] -F[key=-S]");
  EXPECT_TRUE(p->diags.diagnostics().empty());
}

TEST(ClassicParser, AttachedArgumentsAndFlagGroups) {
  EXPECT_EQ(describe(parse("-aexit,always -Sopen -kfoo")->line),
            "-a[exit,always] -S[open] -k[foo]");
  EXPECT_EQ(describe(parse("-Di")->line), "-D -i");
}

TEST(ClassicParser, LongOptionsWithSeparateOrAttachedValues) {
  EXPECT_EQ(describe(parse("--backlog_wait_time 60000")->line), "--backlog_wait_time[60000]");
  EXPECT_EQ(describe(parse("--backlog_wait_time=1")->line), "--backlog_wait_time[1]");
  EXPECT_EQ(describe(parse("--loginuid-immutable -b 5")->line), "--loginuid-immutable -b[5]");
  EXPECT_EQ(resolve_long_option("backlog"), "backlog_wait_time");
  EXPECT_EQ(resolve_long_option("reset"), "");  // ambiguous
}

TEST(ClassicParser, ColumnsAreByteOffsetsEvenForNonUtf8Bytes) {
  auto p = parse("-w /tmp/\xff\xfe -k k");
  ASSERT_EQ(p->line.options.size(), 2u);
  EXPECT_EQ(p->line.options[0].argument->text, "/tmp/\xff\xfe");
  EXPECT_EQ(p->line.options[1].word.column, 12u);
}

TEST(ClassicParser, CommentsAreLinesWhoseFirstWordStartsWithHash) {
  EXPECT_TRUE(parse("   # -a always,exit")->line.comment);
  auto trailing = parse("-e 1 # enable");
  EXPECT_FALSE(trailing->line.comment);
  EXPECT_EQ(describe(trailing->line), "-e[1] stray stray");
}

TEST(ClassicParser, TabsAreNotSeparators) {
  auto p = parse("-a\talways,exit");
  EXPECT_EQ(describe(p->line), "-a[\talways,exit]");
  // getopt does not see "\t-w" as an option, so both words are strays.
  EXPECT_EQ(describe(parse("\t-w /etc")->line), "stray stray");
}

TEST(ClassicParser, MissingArgumentIsReportedAtTheOption) {
  auto p = parse("-a always,exit -k");
  ASSERT_EQ(p->diags.diagnostics().size(), 1u);
  EXPECT_EQ(p->diags.diagnostics()[0].id(), "syntax-missing-argument");
  EXPECT_EQ(p->diags.diagnostics()[0].range.column, 16u);
}

TEST(ClassicParser, ByteLevelProblems) {
  auto nul = parse(std::string("-k a\0b", 6));
  ASSERT_FALSE(nul->diags.diagnostics().empty());
  EXPECT_EQ(nul->diags.diagnostics()[0].id(), "syntax-nul-byte");
  EXPECT_EQ(nul->diags.diagnostics()[0].range.column, 5u);
  EXPECT_EQ(parse("-e 1\r")->diags.diagnostics().at(0).id(), "syntax-carriage-return");
  EXPECT_EQ(parse("-k " + std::string(7000, 'k'))->diags.diagnostics().at(0).id(),
            "syntax-line-too-long");
}

}  // namespace
}  // namespace af::frontend
