#include "simulator/log/record.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace af::sim {
namespace {

TEST(Record, ParsesTheHeaderAndKeepsTheBody) {
  Record r;
  ASSERT_TRUE(parse_record(
      "node=web1 type=SYSCALL msg=audit(1481076992.414:385): arch=c000003e syscall=257 "
      "success=yes exit=3 key=\"files\"",
      r));
  EXPECT_EQ(r.node, "web1");
  EXPECT_EQ(r.type, "SYSCALL");
  EXPECT_EQ(r.seconds, 1481076992u);
  EXPECT_EQ(r.millis, 414u);
  EXPECT_EQ(r.serial, 385u);
  EXPECT_TRUE(r.body.starts_with("arch=c000003e"));
}

TEST(Record, CutsTheEnrichedTail) {
  Record r;
  ASSERT_TRUE(
      parse_record("type=SOCKADDR msg=audit(1666825569.818:23260118): saddr=0200"
                   "\x1dSADDR={ saddr_fam=inet }",
                   r));
  EXPECT_EQ(r.body, "saddr=0200");
}

// The common types are recognised from their first bytes; a longer name that starts the
// same way is another type.
TEST(Record, TellsTypesApartByTheirWholeName) {
  const std::pair<const char*, RecordKind> cases[] = {{"SYSCALL", RecordKind::Syscall},
                                                      {"SYSCALLS", RecordKind::Other},
                                                      {"PROCTITLE", RecordKind::Proctitle},
                                                      {"PROCTITLES", RecordKind::Other},
                                                      {"PATH", RecordKind::Path},
                                                      {"PATHX", RecordKind::Other},
                                                      {"CWD", RecordKind::Cwd},
                                                      {"CWDX", RecordKind::Other},
                                                      {"EOE", RecordKind::Eoe},
                                                      {"EOEX", RecordKind::Other},
                                                      {"OPENAT2", RecordKind::Openat2},
                                                      {"SOCKADDR", RecordKind::Sockaddr},
                                                      {"AVC", RecordKind::Other}};
  for (const auto& [type, kind] : cases) {
    for (const char* body : {"", " a=1 b=2 c=3"}) {  // short lines take another path
      std::string line = std::string("type=") + type + " msg=audit(1.002:3):" + body;
      Record r;
      ASSERT_TRUE(parse_record(line, r)) << line;
      EXPECT_EQ(r.type, type) << line;
      EXPECT_EQ(r.kind, kind) << line;
      EXPECT_EQ(r.serial, 3u) << line;
    }
  }
}

TEST(Record, RejectsLinesThatAreNotRecords) {
  Record r;
  EXPECT_FALSE(parse_record("", r));
  EXPECT_FALSE(parse_record("hello world", r));
  EXPECT_FALSE(parse_record("type=SYSCALL msg=audit(12:34): x=1", r));
  EXPECT_FALSE(parse_record("type=SYSCALL msg=audit(1.2:x): x=1", r));
}

TEST(FieldCursor, SplitsPairsAndKeepsQuotedUserMessagesWhole) {
  FieldCursor c(
      "pid=1 msg='op=add-group id=1000 exe=\"/usr/sbin/groupadd\" res=success' "
      "key=(null)");
  std::string_view n, v;
  ASSERT_TRUE(c.next(n, v));
  EXPECT_EQ(n, "pid");
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(c.next(n, v));
  EXPECT_EQ(n, "msg");
  EXPECT_EQ(v, "'op=add-group id=1000 exe=\"/usr/sbin/groupadd\" res=success'");
  ASSERT_TRUE(c.next(n, v));
  EXPECT_EQ(v, "(null)");
  EXPECT_FALSE(c.next(n, v));
}

TEST(DecodeValue, UnquotesAndDecodesHex) {
  std::string scratch;
  EXPECT_EQ(decode_value("\"/bin/ls\"", true, scratch), "/bin/ls");
  EXPECT_EQ(decode_value("2F746D702F6120620A", true, scratch), "/tmp/a b\n");
  EXPECT_EQ(decode_value("6B31016B32", true, scratch), "k1\x01k2");
  EXPECT_EQ(decode_value("(null)", true, scratch), "(null)");
  EXPECT_EQ(decode_value("abc", true, scratch), "abc");
}

// Every raw log line of the shared corpus parses as a record, except lines that carry no
// audit header at all ("type=UNKNOWN[1329] msg=?"), which a reader counts as malformed. The
// JSON and YAML files there are other tools' parses and are skipped.
TEST(Record, ReadsEveryRawCorpusLog) {
  std::filesystem::path dir = std::filesystem::path(AF_SHARED_DIR) / "corpus" / "logs";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  size_t files = 0, lines = 0, records = 0, headerless = 0;
  std::vector<std::string> bad;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.ends_with(".yaml") || name.ends_with(".golden") || name.ends_with(".ref") ||
        name.ends_with(".json"))
      continue;
    ++files;
    std::ifstream in(e.path(), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line.starts_with("#")) continue;
      ++lines;
      if (line.find(" msg=?") != std::string::npos) {
        ++headerless;
        continue;
      }
      Record r;
      if (parse_record(line, r)) {
        ++records;
      } else if (bad.size() < 20) {
        bad.push_back(name + ": " + line.substr(0, 120));
      }
    }
  }
  std::printf("%zu corpus logs, %zu lines, %zu records, %zu without an audit header\n", files,
              lines, records, headerless);
  for (const std::string& b : bad) std::printf("  not a record: %s\n", b.c_str());
  EXPECT_GT(records, 500u);
  EXPECT_EQ(lines, records + headerless) << "lines that are not audit records";
}

}  // namespace
}  // namespace af::sim
