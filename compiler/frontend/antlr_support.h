// Shared by the ANTLR-based parsers (only compiler/frontend includes ANTLR): feeding bytes
// to the runtime and turning its errors into diagnostics.
#pragma once

#include <string>
#include <string_view>

#include "antlr4-runtime.h"
#include "compiler/diag/diagnostic.h"

namespace af::frontend {

/// ANTLR's C++ runtime decodes its input as UTF-8, but rule files are bytes. Each byte is
/// re-encoded as the code point of the same value, so token indexes and columns are byte
/// offsets and no byte sequence is rejected.
std::string bytes_as_code_points(std::string_view bytes);

/// Reports ANTLR's own errors as syntax-unexpected diagnostics instead of printing them.
class ErrorCollector : public antlr4::BaseErrorListener {
 public:
  diag::DiagnosticSink* sink = nullptr;
  uint32_t file = 0;
  uint32_t line = 0;  // 0: use the line ANTLR reports

  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t line, size_t column,
                   const std::string& msg, std::exception_ptr) override;
};

}  // namespace af::frontend
