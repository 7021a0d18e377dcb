// A parsed and validated input: rules and control settings in source order.
#pragma once

#include <variant>
#include <vector>

#include "compiler/ir/rule.h"

namespace af::ir {

using Statement = std::variant<Rule, Control, Comment>;

/// Statements in the order auditctl would execute them (for a rules.d folder: after
/// augenrules' reordering).
struct RuleSet {
  std::vector<Statement> statements;

  template <typename F>
  void for_each_rule(F&& f) const {
    for (const Statement& s : statements)
      if (const Rule* r = std::get_if<Rule>(&s)) f(*r);
  }
};

}  // namespace af::ir
