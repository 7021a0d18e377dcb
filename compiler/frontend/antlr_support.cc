#include "compiler/frontend/antlr_support.h"

namespace af::frontend {

std::string bytes_as_code_points(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

void ErrorCollector::syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t line, size_t column,
                                 const std::string& msg, std::exception_ptr) {
  uint32_t col = static_cast<uint32_t>(column) + 1;  // ANTLR columns are 0-based
  uint32_t at = this->line ? this->line : static_cast<uint32_t>(line);
  sink->report(diag::Kind::SyntaxUnexpected, {file, at, col, col + 1}, msg);
}

}  // namespace af::frontend
