// Reads the audit rules embedded in deployment configs: Auditbeat's auditd module
// (`audit_rules: |` blocks) and go-audit (`rules:` lists), so users can check what they run.
#pragma once

#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"
#include "compiler/diag/sys_error.h"

namespace af::frontend {

/// True for inputs named *.yml or *.yaml.
bool is_yaml_input(const std::string& path);

/// Extracts the rule lines of a YAML config as a rules file placed in `sources` under the
/// config's name: each rule sits on the line it has in the YAML file, indented to its column,
/// and every other line is empty, so diagnostics point at the real place. Returns the id of
/// that file. A YAML syntax error is a diagnostic; a file without rules yields an empty file
/// and a warning.
Expected<uint32_t> extract_yaml_rules(const std::string& path, diag::SourceSet& sources,
                                      diag::DiagnosticSink& diags);

}  // namespace af::frontend
