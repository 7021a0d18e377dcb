// Parses policy files (grammar/AuditPolicy.g4) into policy::PolicyFile.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"
#include "compiler/frontend/policy_ast.h"

namespace af::frontend {

/// Parses file `file` of `sources`. Syntax errors are reported as syntax-unexpected with
/// their location; the items that parsed are returned.
policy::PolicyFile parse_policy(const diag::SourceSet& sources, uint32_t file,
                                diag::DiagnosticSink& diags);

}  // namespace af::frontend
