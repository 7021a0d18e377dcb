// Turns the command line's inputs into the sequence of lines auditctl would read: a file as
// it is, stdin, or a rules.d folder concatenated and reordered the way augenrules does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"
#include "compiler/diag/sys_error.h"

namespace af::frontend {

/// One line of input, without its '\n'; `text` points into the SourceSet.
struct InputLine {
  uint32_t file = 0;
  uint32_t line = 0;
  std::string_view text;
};

/// Reads `path` ("-" = stdin) into `sources` and returns its lines in load order. A directory
/// yields its `*.rules` files in version order with augenrules' hoisting of -D, -b, -f and -e
/// applied. Files that cannot be read are environment errors; the caller decides whether to
/// go on with other inputs.
Expected<std::vector<InputLine>> load_rule_lines(const std::string& path, diag::SourceSet& sources,
                                                 diag::DiagnosticSink& diags);

/// The bytes of one input file ("-" = stdin). A directory is an error here.
Expected<std::string> read_input(const std::string& path);

/// The lines of one file already in `sources`.
std::vector<InputLine> lines_of(const diag::SourceSet& sources, uint32_t file);

/// augenrules' reordering of concatenated rules.d lines (Debian 12's augenrules under mawk,
/// where the pattern "\s" means a literal 's'): comment and empty lines are dropped, the last
/// "-D" line goes first, then the last "-b" and the last "-f" line, the other lines in order,
/// and the last "-e" line at the end. Earlier -D/-b/-f/-e lines are discarded.
std::vector<InputLine> augenrules_order(const std::vector<InputLine>& lines);

}  // namespace af::frontend
