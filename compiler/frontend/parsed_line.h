// The shape of one classic rule line after parsing: which words are options and which are
// their arguments. Values are not interpreted here; compiler/sema does that.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/source_range.h"

namespace af::frontend {

/// A word of the line and where it starts (1-based byte column).
struct Word {
  std::string_view text;
  uint32_t column = 0;
};

enum class OptionKind : uint8_t {
  Short,  // "-a exit,always", "-aexit,always", "-D"
  Long,   // "--backlog_wait_time 100", "--backlog_wait_time=100"
  Stray,  // a word where an option was expected
};

struct ParsedOption {
  OptionKind kind = OptionKind::Stray;
  char letter = 0;               // Short: the option letter
  std::string_view long_name;    // Long: the name as written, without "--" or "=value"
  Word word;                     // the option word as written (for Stray: the word)
  std::optional<Word> argument;  // separate, attached ("-kfoo") or "--x=value"
};

struct ParsedLine {
  uint32_t file = 0;
  uint32_t line = 0;
  std::string_view text;
  bool comment = false;  // first word starts with '#'
  std::vector<ParsedOption> options;
  /// Arguments whose escapes ("\ " and "\\") were resolved; Word::text points here. Moving
  /// a ParsedLine keeps these addresses; copying one does not, so it is move-only.
  std::deque<std::string> unescaped;

  ParsedLine() = default;
  ParsedLine(ParsedLine&&) = default;
  ParsedLine& operator=(ParsedLine&&) = default;
  ParsedLine(const ParsedLine&) = delete;
  ParsedLine& operator=(const ParsedLine&) = delete;

  bool blank() const { return !comment && options.empty(); }
  ir::SourceRange range_of(const Word& w) const {
    return {file, line, w.column, static_cast<uint32_t>(w.column + w.text.size())};
  }
  ir::SourceRange whole() const { return {file, line, 1, static_cast<uint32_t>(text.size() + 1)}; }
};

}  // namespace af::frontend
