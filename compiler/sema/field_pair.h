// Parses the argument of "-F name OP value" as auditctl 3.0.9 does
// (lib/libaudit.c, audit_rule_fieldpair_data) and checks it against the rule's list.
#pragma once

#include <optional>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/rule.h"
#include "compiler/tables/tables.h"

namespace af::sema {

/// What the field parser needs to know about the rule built so far.
struct FieldContext {
  ir::List list = ir::List::Exit;
  bool syscalls_given = false;  // a -S came before (arch must precede it)
  tables::Machine host = 0;     // the machine "b64"/"b32" are relative to
};

/// Splits the pair at its operator with auditctl's precedence: the first of != >= <= &= =
/// > < & found anywhere in the text, at its first occurrence.
struct SplitPair {
  std::string_view name;
  ir::Op op = ir::Op::Equal;
  std::string_view value;
  size_t op_offset = 0;  // byte offset of the operator in the pair
  size_t op_length = 0;
};
std::optional<SplitPair> split_field_pair(std::string_view pair);

/// Parses one -F argument. `where` is the range of the argument word. Returns the field, or
/// nullopt after reporting why it is invalid. The key field is returned with id
/// AUDIT_FILTERKEY and its text; the caller moves it to the rule's keys.
std::optional<ir::Field> parse_field_pair(std::string_view pair, const ir::SourceRange& where,
                                          const FieldContext& ctx, diag::DiagnosticSink& diags);

/// C's strtoul/strtol with base 0 as auditctl uses them: leading "0x" is hex, a leading 0 is
/// octal, trailing junk is ignored, and the result is truncated to 32 bits.
uint32_t c_number(std::string_view text);

/// Resolves an arch value (b32, b64, a machine name or an AUDIT_ARCH number) the way
/// auditctl does; nullopt when it cannot.
std::optional<uint32_t> parse_arch(std::string_view value, tables::Machine host);

}  // namespace af::sema
