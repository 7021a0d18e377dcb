// A parsed and validated input: rules and control settings in source order.
#pragma once

#include <variant>
#include <vector>

#include "compiler/ir/rule.h"

namespace af::ir {

using Statement = std::variant<Rule, Control, Comment>;

/// A path whose file contents are monitored (hashes, changes) by Auditbeat's file_integrity
/// module: kernel rules cannot do this, so it travels beside them.
struct IntegrityWatch {
  std::string path;
  bool recursive = false;
  std::vector<std::string> exclude_files;  // RE2 regexes matched against full paths
  std::vector<std::string> include_files;
  std::vector<std::string> hash_types;
  std::string max_file_size;      // e.g. "100 MiB"; empty: Auditbeat's default
  std::string scan_rate_per_sec;  // e.g. "50 MiB"
  Origin origin;
};

/// A go-audit message filter: go-audit drops a message of `message_type` from an event of
/// `syscall` (the number as the log prints it, so one filter per ABI) whose text matches
/// `regex`. Kernel rules cannot do this; only the go-audit target emits it.
struct GoAuditFilter {
  uint32_t syscall = 0;
  uint32_t message_type = 0;
  std::string regex;
  Origin origin;
};

/// Statements in the order auditctl would execute them (for a rules.d folder: after
/// augenrules' reordering).
struct RuleSet {
  std::vector<Statement> statements;
  std::vector<IntegrityWatch> integrity;
  std::vector<GoAuditFilter> go_audit_filters;

  template <typename F>
  void for_each_rule(F&& f) const {
    for (const Statement& s : statements)
      if (const Rule* r = std::get_if<Rule>(&s)) f(*r);
  }
};

}  // namespace af::ir
