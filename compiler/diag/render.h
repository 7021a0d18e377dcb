// Renders diagnostics for people (clang-style text with the source line and a caret) and
// for machines (JSON). Both sort by location and drop duplicates first.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"

namespace af::diag {

/// "file:line:col: severity: message [id]", the quoted line, a caret, then the notes.
std::string render_text(const std::vector<Diagnostic>& diags, const SourceSet& sources);

/// One entry of render_text, for other producers of located messages (the linter).
void append_text_entry(std::string& out, std::string_view id, Severity severity,
                       const ir::SourceRange& range, std::string_view message,
                       const std::vector<Note>& notes, const SourceSet& sources);

/// {"diagnostics":[{"id","severity","file","line","column","message","notes":[...]}]}
std::string render_json(const std::vector<Diagnostic>& diags, const SourceSet& sources);

/// "file:line:col" or "" when the range is not valid.
std::string format_location(const ir::SourceRange& r, const SourceSet& sources);

}  // namespace af::diag
