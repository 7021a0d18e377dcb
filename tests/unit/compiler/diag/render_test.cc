#include "compiler/diag/render.h"

#include <gtest/gtest.h>

namespace af::diag {
namespace {

struct Fixture {
  SourceSet sources;
  DiagnosticSink sink;
};

TEST(RenderText, QuotesTheLineWithACaretUnderTheRange) {
  Fixture f;
  uint32_t id = f.sources.add("a.rules", "-a always,exit -F bogus=1\n");
  f.sink.report(Kind::SemanticUnknownField, {id, 1, 19, 24}, "unknown field 'bogus'");
  EXPECT_EQ(render_text(f.sink.diagnostics(), f.sources),
            "a.rules:1:19: error: unknown field 'bogus' [semantic-unknown-field]\n"
            "-a always,exit -F bogus=1\n"
            "                  ^~~~~\n");
}

TEST(RenderText, KeepsTabsSoTheCaretAlignsAndEscapesControlBytes) {
  Fixture f;
  uint32_t id = f.sources.add("a.rules", std::string("\t-k\x01x\n", 6));
  f.sink.report(Kind::SemanticKeyIllegalChar, {id, 1, 4, 5}, "m");
  EXPECT_EQ(render_text(f.sink.diagnostics(), f.sources),
            "a.rules:1:4: warning: m [semantic-key-illegal-char]\n"
            "\t-k\\x01x\n"
            "\t  ^~~~\n");
}

TEST(RenderText, ShowsAWindowOfVeryLongLines) {
  Fixture f;
  std::string line(100000, 'x');
  uint32_t id = f.sources.add("big.rules", line);
  f.sink.report(Kind::SyntaxLineTooLong, {id, 1, 6144, 6145}, "too long");
  std::string out = render_text(f.sink.diagnostics(), f.sources);
  EXPECT_LT(out.size(), 600u);
  EXPECT_NE(out.find("...x"), std::string::npos);
  EXPECT_NE(out.find('^'), std::string::npos);
}

TEST(RenderText, SortsByLocationAndDropsDuplicates) {
  Fixture f;
  uint32_t id = f.sources.add("a.rules", "one\ntwo\n");
  f.sink.report(Kind::SyntaxStrayWord, {id, 2, 1, 4}, "second");
  f.sink.report(Kind::SyntaxStrayWord, {id, 1, 1, 4}, "first");
  f.sink.report(Kind::SyntaxStrayWord, {id, 1, 1, 4}, "first");
  std::string out = render_text(f.sink.diagnostics(), f.sources);
  EXPECT_LT(out.find("first"), out.find("second"));
  EXPECT_EQ(out.find("first"), out.rfind("first"));
}

TEST(RenderJson, HasIdSeverityLocationAndNotes) {
  Fixture f;
  uint32_t id = f.sources.add("a.rules", "-w tmp\n");
  f.sink.report(Kind::SemanticWatchPath, {id, 1, 4, 7}, "must be absolute").note("hint");
  EXPECT_EQ(render_json(f.sink.diagnostics(), f.sources),
            R"({"diagnostics":[{"column":4,"file":"a.rules","id":"semantic-watch-path",)"
            R"("line":1,"message":"must be absolute","notes":[{"column":null,"file":null,)"
            R"("line":null,"message":"hint"}],"severity":"error"}]})"
            "\n");
}

}  // namespace
}  // namespace af::diag
