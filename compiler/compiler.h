// The compiler library's front door: read classic rule inputs into IR with diagnostics.
// Later stages (linter, simulator, kernel) start from a Compilation.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"
#include "compiler/diag/sys_error.h"
#include "compiler/ir/rule_set.h"
#include "compiler/sema/classic_lower.h"
#include "compiler/sema/policy_lower.h"

namespace af {

/// Everything a run has read and found.
struct Compilation {
  diag::SourceSet sources;
  diag::DiagnosticSink diags;
  ir::RuleSet rules;
};

/// Parses and validates classic rule inputs (files, rules.d folders, "-" for stdin, and the
/// rules inside Auditbeat or go-audit YAML configs, *.yml/*.yaml) in
/// order, as one sequence of lines, into `out`. Input problems become diagnostics; the first
/// input that cannot be read stops the load and is returned.
Expected<void> load_classic(const std::vector<std::string>& inputs, Compilation& out,
                            const sema::LowerOptions& options = {});

/// Whether an input is a policy file (name ends in ".audit") rather than classic rules.
bool is_policy_input(const std::string& path);

/// Compiles policy files (with their includes) into `out`. Input problems, a missing include
/// among them, are diagnostics; an unreadable top-level input is returned.
Expected<void> load_policy(const std::vector<std::string>& inputs, Compilation& out,
                           const sema::PolicyOptions& options = {});

/// Loads each input by its kind: policy files (*.audit) through load_policy, everything else
/// through load_classic. Mixing both kinds in one run is refused.
Expected<void> load_inputs(const std::vector<std::string>& inputs, Compilation& out,
                           const sema::LowerOptions& classic = {},
                           const sema::PolicyOptions& policy = {});

/// Compiles policy text already in memory (tests, fuzzing); includes are resolved relative
/// to the current directory.
void load_policy_text(std::string name, std::string text, Compilation& out,
                      const sema::PolicyOptions& options = {});

/// Parses classic rule text already in memory (tests, fuzzing). `name` labels diagnostics.
void load_classic_text(std::string name, std::string text, Compilation& out,
                       const sema::LowerOptions& options = {});

}  // namespace af
