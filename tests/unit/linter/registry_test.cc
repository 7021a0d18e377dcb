#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/diag/diagnostic.h"
#include "linter/linter.h"

namespace af::lint {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::filesystem::path kDocs = std::filesystem::path(AF_SOURCE_DIR) / "docs" / "lint";

TEST(LintRegistry, IdsAreSortedUniqueAndNamedByFamily) {
  std::string previous;
  for (const CheckInfo& c : all_checks()) {
    std::string id(c.id);
    EXPECT_LT(previous, id) << "registry.def must stay sorted by id";
    previous = id;
    EXPECT_EQ(id.substr(0, id.find('-')), family_name(c.family)) << id;
    EXPECT_TRUE(std::regex_match(id, std::regex("^[a-z]+(-[a-z0-9]+)+$"))) << id;
    EXPECT_FALSE(diag::kind_from_id(id).has_value()) << id << " is also a compiler id";
    EXPECT_EQ(info(c.check).id, c.id);
    EXPECT_EQ(find_check(c.id), &info(c.check));
  }
  EXPECT_GE(all_checks().size(), 30u);
}

TEST(LintRegistry, EveryCheckHasADocPageWithItsSummary) {
  for (const CheckInfo& c : all_checks()) {
    std::filesystem::path page = kDocs / (std::string(c.id) + ".md");
    ASSERT_TRUE(std::filesystem::exists(page)) << page;
    std::string text = read(page);
    EXPECT_NE(text.find("# " + std::string(c.id)), std::string::npos) << page;
    EXPECT_NE(text.find("## Why"), std::string::npos) << page;
    bool examples =
        text.find("## Bad") != std::string::npos && text.find("## Good") != std::string::npos;
    bool elsewhere = text.find("tests/lit/lint/") != std::string::npos;
    EXPECT_TRUE(examples || elsewhere) << page << " has no Bad/Good example";
  }
}

TEST(LintRegistry, NoDocPageWithoutACheck) {
  for (const auto& entry : std::filesystem::directory_iterator(kDocs)) {
    std::string name = entry.path().filename().string();
    if (name == "README.md") continue;
    ASSERT_TRUE(name.ends_with(".md")) << name;
    EXPECT_NE(find_check(name.substr(0, name.size() - 3)), nullptr) << name;
  }
}

TEST(LintRegistry, CatalogueTableMatchesTheRegistry) {
  std::string readme = read(kDocs / "README.md");
  std::regex row(R"(\| \[`([a-z0-9-]+)`\]\(([a-z0-9-]+)\.md\) \| ([a-z]+) \| ([a-z]+) \| (.*) \|)");
  std::vector<std::string> listed;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const CheckInfo* c = find_check(m[1].str());
    ASSERT_NE(c, nullptr) << m[1];
    EXPECT_EQ(m[2].str(), m[1].str());
    EXPECT_EQ(m[3].str(), family_name(c->family)) << m[1];
    EXPECT_EQ(m[4].str(), diag::severity_name(c->severity)) << m[1];
    EXPECT_EQ(m[5].str(), c->summary) << m[1];
    listed.push_back(m[1].str());
  }
  std::vector<std::string> expected;
  for (const CheckInfo& c : all_checks()) expected.emplace_back(c.id);
  EXPECT_EQ(listed, expected);
}

TEST(LintConfig, ParsesSectionsAndRefusesUnknownIds) {
  std::string error;
  auto c = parse_config(
      "lint:\n  disable: [hygiene-missing-key]\n  severity: {noise-hot-syscall: error}\n"
      "  options: {min-kernel: '5.4', rate-threshold: 5}\n",
      error);
  ASSERT_TRUE(c) << error;
  EXPECT_FALSE(c->overrides.at("hygiene-missing-key").has_value());
  EXPECT_EQ(c->overrides.at("noise-hot-syscall"), diag::Severity::Error);
  EXPECT_EQ(c->options.min_kernel, "5.4");
  EXPECT_EQ(c->options.rate_threshold, 5);
  EXPECT_FALSE(parse_config("lint:\n  disable: [nope]\n", error));
  EXPECT_EQ(error, "lint.disable: unknown check 'nope'");
  EXPECT_FALSE(parse_config("lint:\n  severity: {hygiene-missing-key: loud}\n", error));
  EXPECT_FALSE(parse_config("lint: [1\n", error));
  EXPECT_TRUE(parse_config("", error));
}

}  // namespace
}  // namespace af::lint
