#include "compiler/sema/field_pair.h"

#include <gtest/gtest.h>

namespace af::sema {
namespace {

TEST(SplitFieldPair, OperatorsAreFoundByPrecedenceNotPosition) {
  auto p = split_field_pair("a1&0100");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "a1");
  EXPECT_EQ(p->op, ir::Op::BitMask);
  EXPECT_EQ(p->value, "0100");
  // "!=" is searched before "=", wherever it is.
  auto q = split_field_pair("path=/a!=b");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->name, "path=/a");
  EXPECT_EQ(q->op, ir::Op::NotEqual);
  EXPECT_EQ(split_field_pair("auid>=1000")->op, ir::Op::GreaterEqual);
  EXPECT_FALSE(split_field_pair("novalue"));
}

TEST(CNumber, FollowsStrtoulWithBaseZero) {
  EXPECT_EQ(c_number("010"), 8u);
  EXPECT_EQ(c_number("0x10"), 16u);
  EXPECT_EQ(c_number("12ab"), 12u);
  EXPECT_EQ(c_number("08"), 0u);
  EXPECT_EQ(c_number("-1"), 4294967295u);
  EXPECT_EQ(c_number("0x100000001"), 1u);
}

TEST(ParseArch, NamesNumbersAndBitness) {
  EXPECT_EQ(parse_arch("b64", 1), 0xC000003Eu);
  EXPECT_EQ(parse_arch("b32", 1), 0x40000003u);
  EXPECT_EQ(parse_arch("x86_64", 1), 0xC000003Eu);
  EXPECT_EQ(parse_arch("i686", 1), 0x40000003u);
  EXPECT_EQ(parse_arch("aarch64", 1), 0xC00000B7u);
  EXPECT_FALSE(parse_arch("sparc", 1));
}

TEST(ParseFieldPair, ExitValuesKeepAuditctlsSignQuirk) {
  diag::DiagnosticSink d;
  FieldContext ctx;
  ctx.host = 1;
  EXPECT_EQ(parse_field_pair("exit=-EPERM", {}, ctx, d)->value, static_cast<uint32_t>(-1));
  EXPECT_EQ(parse_field_pair("exit=-13", {}, ctx, d)->value, static_cast<uint32_t>(-13));
  EXPECT_TRUE(d.diagnostics().empty());
  // Without the minus the value is +1: it never matches a failing syscall, so we warn.
  EXPECT_EQ(parse_field_pair("exit=EPERM", {}, ctx, d)->value, 1u);
  ASSERT_EQ(d.diagnostics().size(), 1u);
  EXPECT_EQ(d.diagnostics()[0].id(), "semantic-positive-errno");
}

TEST(ParseFieldPair, AuidUnsetAndNames) {
  diag::DiagnosticSink d;
  FieldContext ctx;
  EXPECT_EQ(parse_field_pair("auid=unset", {}, ctx, d)->value, 4294967295u);
  EXPECT_EQ(parse_field_pair("auid!=-1", {}, ctx, d)->value, 4294967295u);
  EXPECT_EQ(parse_field_pair("uid=root", {}, ctx, d)->value, 0u);
  EXPECT_EQ(parse_field_pair("gid=root", {}, ctx, d)->value, 0u);
  EXPECT_TRUE(d.diagnostics().empty());
}

}  // namespace
}  // namespace af::sema
