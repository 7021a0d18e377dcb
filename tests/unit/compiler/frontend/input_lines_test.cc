#include "compiler/frontend/input_lines.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace af::frontend {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> texts(const std::vector<InputLine>& lines) {
  std::vector<std::string> out;
  for (const InputLine& l : lines) out.emplace_back(l.text);
  return out;
}

TEST(AugenrulesOrder, HoistsLastDeleteBacklogFailureAndPutsLastEnableAtTheEnd) {
  std::vector<InputLine> in;
  for (std::string_view t : {"-e 2", "-D", "-a always,exit -S all", "-b 10", "# c", "", "-f 1",
                             "-b 20", "-e 1", "-w /etc/x", "-D -k k"})
    in.push_back({1, 0, t});
  EXPECT_EQ(texts(augenrules_order(in)),
            (std::vector<std::string>{"-D", "-b 20", "-f 1", "-a always,exit -S all", "-w /etc/x",
                                      "-D -k k", "-e 1"}));
}

TEST(AugenrulesOrder, LeadingSpacesDefeatHoistingUnderMawk) {
  // Debian's augenrules runs under mawk, which reads "\s" as the letter 's'.
  std::vector<InputLine> in;
  for (std::string_view t : {"-a always,exit -S all", "  -e 1", "  # comment"})
    in.push_back({1, 0, t});
  EXPECT_EQ(texts(augenrules_order(in)),
            (std::vector<std::string>{"-a always,exit -S all", "  -e 1", "  # comment"}));
}

TEST(LoadRuleLines, FolderFilesInVersionOrderAndOnlyDotRules) {
  fs::path dir = fs::temp_directory_path() / ("af-rulesd-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const char* text) { std::ofstream(dir / name) << text; };
  write("10-b.rules", "-w /b\n");
  write("9-a.rules", "-w /a\n");
  write("99-z.rules.bak", "-w /bak\n");
  write(".hidden.rules", "-w /hidden\n");
  write("100-c.rules", "-e 1\n-w /c\n");
  diag::SourceSet sources;
  diag::DiagnosticSink diags;
  auto lines = load_rule_lines(dir.string(), sources, diags);
  fs::remove_all(dir);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(texts(*lines), (std::vector<std::string>{"-w /a", "-w /b", "-w /c", "-e 1"}));
}

TEST(LoadRuleLines, MissingFileIsAnEnvironmentError) {
  diag::SourceSet sources;
  diag::DiagnosticSink diags;
  auto lines = load_rule_lines("/nonexistent/x.rules", sources, diags);
  ASSERT_FALSE(lines.has_value());
  EXPECT_EQ(lines.error().message(),
            "cannot open '/nonexistent/x.rules': No such file or directory");
}

}  // namespace
}  // namespace af::frontend
