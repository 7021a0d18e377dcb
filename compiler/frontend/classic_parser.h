// Parses classic audit rule lines with the ANTLR grammar grammar/AuditRules.g4. The parser
// object is reused across lines so that a 100,000-line file costs one setup.
#pragma once

#include <memory>

#include "compiler/diag/diagnostic.h"
#include "compiler/frontend/input_lines.h"
#include "compiler/frontend/parsed_line.h"

namespace af::frontend {

class ClassicParser {
 public:
  ClassicParser();
  ~ClassicParser();
  ClassicParser(const ClassicParser&) = delete;
  ClassicParser& operator=(const ClassicParser&) = delete;

  /// Parses one line. Problems of shape (a missing option argument, an unexpected token) are
  /// reported to `diags`; the result holds whatever could be recognised.
  ParsedLine parse(const InputLine& line, diag::DiagnosticSink& diags);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The long options auditctl 3.0.9 knows, resolved as getopt_long does (exact name or an
/// unambiguous prefix). Returns the full name, or empty when unknown or ambiguous.
std::string_view resolve_long_option(std::string_view written);
/// True when the (resolved) long option takes an argument.
bool long_option_takes_argument(std::string_view name);

}  // namespace af::frontend
