// Shared by subcommands that print compiler diagnostics.
#pragma once

#include <string>

#include "compiler/compiler.h"

namespace af::cli {

/// Policy options from "--arch x86_64,aarch64" (empty: the files' own target).
sema::PolicyOptions policy_options(const std::string& arch_list);

/// Prints the diagnostics of `c` to stderr as text (with a summary line when there are any).
void print_diagnostics(const Compilation& c);

/// "2 errors, 1 warning" or "" when there are none.
std::string diagnostic_summary(const diag::DiagnosticSink& diags);

}  // namespace af::cli
