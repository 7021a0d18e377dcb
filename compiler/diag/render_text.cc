#include <fmt/format.h>

#include "compiler/diag/render.h"

namespace af::diag {
namespace {

// Long lines (a 10 MB line is valid input) are quoted as a window around the caret.
constexpr size_t kMaxQuoted = 160;

// Bytes a terminal would misdraw are shown as \xNN so the caret still lines up.
void quote_byte(unsigned char c, std::string& text) {
  if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
    text += static_cast<char>(c);
  } else {
    text += fmt::format("\\x{:02x}", c);
  }
}

void append_quote(std::string& out, std::string_view line, const ir::SourceRange& r) {
  size_t col = r.column ? r.column - 1 : 0;
  size_t end = r.end_column > r.column ? r.end_column - 1 : col + 1;
  size_t begin = 0;
  if (line.size() > kMaxQuoted && col > kMaxQuoted / 2) begin = col - kMaxQuoted / 2;
  size_t stop = std::min(line.size(), begin + kMaxQuoted);
  std::string text, marks;
  if (begin > 0) {
    text += "...";
    marks += "   ";
  }
  for (size_t i = begin; i < stop; ++i) {
    size_t before = text.size();
    quote_byte(static_cast<unsigned char>(line[i]), text);
    size_t width = text.size() - before;
    char mark = ' ';
    if (i == col) {
      mark = '^';
    } else if (i > col && i < end) {
      mark = '~';
    }
    // Keep tabs in the caret line so that it aligns with the quoted line in any terminal.
    if (line[i] == '\t' && mark == ' ') {
      marks += '\t';
    } else {
      marks += mark;
      marks.append(width - 1, mark == '^' ? '~' : mark);
    }
  }
  if (stop < line.size()) text += "...";
  if (col >= stop) marks += '^';  // the caret points just past the end of the line
  while (!marks.empty() && marks.back() == ' ') marks.pop_back();
  out += text;
  out += '\n';
  out += marks;
  out += '\n';
}

}  // namespace

std::string format_location(const ir::SourceRange& r, const SourceSet& sources) {
  if (!r.valid() || r.file > sources.size()) return "";
  const SourceFile& f = sources.file(r.file);
  if (r.column == 0) return fmt::format("{}:{}", f.name, r.line);
  return fmt::format("{}:{}:{}", f.name, r.line, r.column);
}

void append_text_entry(std::string& out, std::string_view id, Severity severity,
                       const ir::SourceRange& range, std::string_view message,
                       const std::vector<Note>& notes, const SourceSet& sources) {
  std::string loc = format_location(range, sources);
  out += fmt::format("{}: {}: {} [{}]\n", loc.empty() ? "auditforge" : loc, severity_name(severity),
                     message, id);
  if (range.valid() && range.file <= sources.size())
    append_quote(out, sources.file(range.file).line(range.line), range);
  for (const Note& n : notes) {
    std::string nloc = format_location(n.range, sources);
    out += fmt::format("{}note: {}\n", nloc.empty() ? "" : nloc + ": ", n.text);
    if (n.range.valid() && n.range.file <= sources.size() && n.range.column)
      append_quote(out, sources.file(n.range.file).line(n.range.line), n.range);
  }
}

std::string render_text(const std::vector<Diagnostic>& diags, const SourceSet& sources) {
  std::string out;
  for (const Diagnostic& d : sorted_unique(diags))
    append_text_entry(out, d.id(), d.severity, d.range, d.message, d.notes, sources);
  return out;
}

}  // namespace af::diag
