// The go-libaudit golden files record, for each rule line, the exact bytes auditctl's
// libaudit sends to the kernel. Our encoding must produce the same bytes.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "compiler/emit/binary.h"
#include "tests/unit/compiler/test_support.h"

namespace af::emit {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> golden_files() {
  std::vector<fs::path> out;
  fs::path dir = fs::path(AF_SHARED_DIR) / "corpus" / "configs";
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().ends_with(".rules.golden.yml")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BinaryGolden, EveryRuleOfEveryGoldenFileEncodesToTheRecordedBytes) {
  auto files = golden_files();
  ASSERT_FALSE(files.empty()) << "no golden files under " << AF_SHARED_DIR;
  size_t compared = 0, skipped_quoted = 0;
  for (const fs::path& file : files) {
    YAML::Node root = YAML::LoadFile(file.string());
    for (const YAML::Node& entry : root["rules"]) {
      std::string line = entry["flags"].as<std::string>();
      YAML::Binary expected = entry["bytes"].as<YAML::Binary>();
      // go-libaudit accepts quoted paths; auditctl has no quoting and rejects these lines
      // ("The path must start with '/'"), so there is nothing to compare.
      if (line.find_first_of("'\"") != std::string::npos) {
        Compilation quoted;
        load_classic_text("golden.rules", line + "\n", quoted);
        EXPECT_TRUE(quoted.diags.has_errors()) << line;
        ++skipped_quoted;
        continue;
      }
      // auditctl stat()s watch paths; the golden host had the directories under
      // /tmp/audit-test that its "-w DIR/" lines name, so make them here too.
      if (line.starts_with("-w /tmp/audit-test/")) {
        std::string path = line.substr(3, line.find(' ', 3) - 3);
        if (path.ends_with('/')) std::filesystem::create_directories(path);
      }
      Compilation c;
      load_classic_text("golden.rules", line + "\n", c);
      auto rules = test::rules(c);
      ASSERT_EQ(rules.size(), 1u) << file.filename() << ": " << line << "\n"
                                  << ::testing::PrintToString(test::ids(c));
      std::vector<uint8_t> bytes = encode_rule(rules[0]);
      std::vector<uint8_t> want(expected.data(), expected.data() + expected.size());
      EXPECT_EQ(hex_dump(bytes), hex_dump(want)) << file.filename() << ": " << line;
      ++compared;
    }
  }
  std::printf(
      "compared %zu golden rules from %zu files; %zu quoted lines are not auditctl "
      "syntax\n",
      compared, files.size(), skipped_quoted);
  EXPECT_GT(compared, 100u);
}

TEST(Binary, DecodeInvertsEncode) {
  auto c = test::compile("-a always,exit -F arch=b64 -S openat -F path=/etc/x -F key=a -k b\n");
  auto rules = test::rules(c);
  ASSERT_EQ(rules.size(), 1u);
  RuleData d;
  ASSERT_TRUE(decode_rule(encode_rule(rules[0]), d));
  ASSERT_EQ(d.fields.size(), 3u);
  EXPECT_EQ(d.fields[1].text, "/etc/x");
  EXPECT_EQ(d.fields[2].field, uint32_t{AUDIT_FILTERKEY});
  EXPECT_EQ(d.fields[2].text,
            "a\x01"
            "b");
  EXPECT_TRUE(d.mask.test(257));
}

TEST(Binary, RuleFromDataGivesBackTheSameKernelRule) {
  auto c = test::compile(
      "-a always,exit -F arch=b64 -S openat,execve -F auid>=1000 -F exe=/bin/x -k a -k b\n"
      "-w /etc/passwd -p wa -k passwd\n-a never,exclude -F msgtype=CWD\n");
  for (const ir::Rule& r : test::rules(c)) {
    auto bytes = encode_rule(r);
    RuleData d;
    ASSERT_TRUE(decode_rule(bytes, d));
    EXPECT_EQ(encode_rule(rule_from_data(d)), bytes);
  }
}

TEST(Binary, DecodeRejectsTruncatedBuffers) {
  auto c = test::compile("-w /etc/passwd -p wa -k passwd\n");
  auto bytes = encode_rule(test::rules(c).at(0));
  RuleData d;
  EXPECT_FALSE(decode_rule(std::span(bytes).first(bytes.size() - 4), d));  // a string cut
  EXPECT_FALSE(decode_rule(std::span(bytes).first(100), d));
}

}  // namespace
}  // namespace af::emit
