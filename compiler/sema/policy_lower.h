// Lowers policy files to the IR every target reads: named rules become kernel rules, one
// per target ABI and per disjunct of their condition, in declaration order (first match
// wins), with each rule's origin pointing at the policy source.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/frontend/policy_ast.h"
#include "compiler/ir/rule_set.h"
#include "compiler/tables/tables.h"

namespace af::sema {

struct PolicyOptions {
  /// Target platforms (x86_64, aarch64, ...) given on the command line; they override the
  /// files' `target arch`. Empty: the files' target, else the host.
  std::vector<std::string> arches;
  tables::Machine host = tables::host_machine();
  /// A rule whose condition expands to more kernel rules than this is refused.
  size_t expansion_limit = 256;
};

/// Lowers `items` (every file's items, includes already spliced in at their place).
void lower_policy(const std::vector<const policy::Item*>& items, const PolicyOptions& options,
                  ir::RuleSet& out, diag::DiagnosticSink& diags);

/// The ABIs a platform name stands for: "x86_64" is x86_64 and i386, "aarch64" is aarch64
/// and arm, ...; a 32-bit name stands for itself. Empty when the name is unknown.
std::vector<tables::Machine> platform_abis(std::string_view platform);

}  // namespace af::sema
