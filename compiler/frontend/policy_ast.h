// The syntax tree of a policy file (grammar/AuditPolicy.g4), as plain data with locations.
// The parser builds it; compiler/sema/policy_lower.cc turns it into IR. Nothing else reads it.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/ir/rule.h"
#include "compiler/ir/source_range.h"

namespace af::policy {

struct Value {
  enum class Kind : uint8_t { Number, String, Name } kind = Kind::Name;
  std::string text;  // without quotes; escapes resolved for strings
  bool negative = false;
  ir::SourceRange range;
};

struct Expr {
  enum class Kind : uint8_t { Not, And, Or, Compare, InList, InRange, InNamedList, ConditionRef };
  Kind kind = Kind::Compare;
  std::vector<Expr> children;  // Not: 1, And/Or: 2
  std::string name;            // field, or the condition/list referred to
  ir::Op op = ir::Op::Equal;
  bool negated = false;       // "not in"
  std::vector<Value> values;  // Compare: 1; InList: n; InRange: 2 (low, high)
  std::string list;           // InNamedList: the list's name
  ir::SourceRange range;
  ir::SourceRange name_range;
};

struct Setting {
  std::string name;
  std::vector<Value> values;
  ir::SourceRange range;
};

struct RuleDecl {
  std::string kind;  // rule, never, watch, exclude, user, task, filesystem
  std::string name;
  bool override = false;
  std::optional<std::string> argument;  // watch path, or a description
  std::string description;
  std::vector<std::string> tags;
  std::optional<std::vector<std::string>> keys;  // `key ""` means no key
  std::string severity;
  std::vector<Value> syscalls;
  std::vector<std::pair<std::string, ir::SourceRange>> arches;
  std::vector<std::pair<std::string, ir::SourceRange>> perms;
  std::optional<std::pair<std::string, ir::SourceRange>> action;
  std::optional<Expr> where;
  std::optional<std::pair<std::string, ir::SourceRange>> message;  // filter only
  std::optional<std::string> regex;                                // filter only
  std::optional<std::vector<Setting>> integrity;  // watch only: Auditbeat file_integrity
  ir::SourceRange integrity_range;
  ir::SourceRange range;  // the declaration's first line
  ir::SourceRange name_range;
  ir::SourceRange argument_range;
};

struct Include {
  std::string path;
  ir::SourceRange range;
};
struct Target {
  std::vector<std::pair<std::string, ir::SourceRange>> arches;
  ir::SourceRange range;
};
struct Settings {
  std::vector<Setting> settings;
};
struct ListDecl {
  std::string name;
  bool extend = false;
  std::vector<Value> values;
  ir::SourceRange range;
};
struct ConditionDecl {
  std::string name;
  Expr expr;
  ir::SourceRange range;
};
struct Disable {
  std::string kind;
  std::string name;
  ir::SourceRange range;
};

using Item = std::variant<Include, Target, Settings, ListDecl, ConditionDecl, Disable, RuleDecl>;

struct PolicyFile {
  uint32_t file = 0;
  std::vector<Item> items;
};

}  // namespace af::policy
