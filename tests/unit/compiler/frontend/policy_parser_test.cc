#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compiler.h"

namespace af::frontend {
namespace {

TEST(PolicyParser, SyntaxErrorsAreReportedAndTheFileIsNotLowered) {
  Compilation c;
  load_policy_text("p.audit", "rule ok { syscalls execve }\nrule { syscalls open\n", c);
  ASSERT_FALSE(c.diags.diagnostics().empty());
  EXPECT_EQ(c.diags.diagnostics()[0].id(), "syntax-unexpected");
  EXPECT_EQ(c.diags.diagnostics()[0].range.line, 2u);
  size_t rules = 0;
  c.rules.for_each_rule([&](const ir::Rule&) { ++rules; });
  EXPECT_EQ(rules, 0u);
}

// Inputs the fuzzer once crashed on (tests/fuzz/regressions): each must now be handled,
// which the sanitizer build checks.
TEST(PolicyParser, FuzzRegressionsDoNotCrash) {
  std::filesystem::path dir = std::filesystem::path(AF_SOURCE_DIR) / "tests/fuzz/regressions";
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    Compilation policy, classic;
    load_policy_text("fuzz.audit", bytes.str(), policy);
    load_classic_text("fuzz.rules", bytes.str(), classic);
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace af::frontend
