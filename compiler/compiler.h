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

namespace af {

/// Everything a run has read and found.
struct Compilation {
  diag::SourceSet sources;
  diag::DiagnosticSink diags;
  ir::RuleSet rules;
};

/// Parses and validates classic rule inputs (files, rules.d folders, "-" for stdin) in
/// order, as one sequence of lines, into `out`. Input problems become diagnostics; the first
/// input that cannot be read stops the load and is returned.
Expected<void> load_classic(const std::vector<std::string>& inputs, Compilation& out,
                            const sema::LowerOptions& options = {});

/// Parses classic rule text already in memory (tests, fuzzing). `name` labels diagnostics.
void load_classic_text(std::string name, std::string text, Compilation& out,
                       const sema::LowerOptions& options = {});

}  // namespace af
