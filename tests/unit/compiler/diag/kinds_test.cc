#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "compiler/diag/diagnostic.h"

namespace af::diag {
namespace {

TEST(DiagKinds, IdsAreSortedUniqueAndKebabCaseWithAFamily) {
  const std::regex shape("^(syntax|semantic|arch|emit|input|kernel)-[a-z0-9]+(-[a-z0-9]+)*$");
  std::string previous;
  for (const KindInfo& k : all_kinds()) {
    EXPECT_TRUE(std::regex_match(std::string(k.id), shape)) << k.id;
    EXPECT_LT(previous, std::string(k.id)) << "kinds.def must stay sorted by id";
    previous = std::string(k.id);
    EXPECT_FALSE(k.summary.empty()) << k.id;
  }
}

TEST(DiagKinds, InfoAndLookupAgree) {
  for (const KindInfo& k : all_kinds()) {
    EXPECT_EQ(info(k.kind).id, k.id);
    ASSERT_TRUE(kind_from_id(k.id).has_value());
    EXPECT_EQ(*kind_from_id(k.id), k.kind);
  }
  EXPECT_FALSE(kind_from_id("no-such-id").has_value());
}

}  // namespace
}  // namespace af::diag
