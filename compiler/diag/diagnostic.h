// Diagnostics as data: a kind from kinds.def, a severity, a location, a one-line message
// and optional notes. Detection code reports into a DiagnosticSink and never prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/source_range.h"

namespace af::diag {

enum class Severity : uint8_t { Note, Warning, Error };

enum class Kind : uint16_t {
#define AF_DIAG(name, id, severity, summary) name,
#include "compiler/diag/kinds.def"
#undef AF_DIAG
};

struct KindInfo {
  Kind kind;
  std::string_view id;
  Severity severity;
  std::string_view summary;
};

/// Every kind, sorted by id.
const std::vector<KindInfo>& all_kinds();
const KindInfo& info(Kind kind);
std::optional<Kind> kind_from_id(std::string_view id);
std::string_view severity_name(Severity s);

struct Note {
  ir::SourceRange range;  // may be invalid: a note without location
  std::string text;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  ir::SourceRange range;
  std::string message;
  std::vector<Note> notes;

  std::string_view id() const { return info(kind).id; }
  Diagnostic& note(ir::SourceRange where, std::string text) {
    notes.push_back({where, std::move(text)});
    return *this;
  }
  Diagnostic& note(std::string text) { return note({}, std::move(text)); }
};

/// Collects diagnostics in report order. Not thread-safe.
class DiagnosticSink {
 public:
  /// Reports with the kind's default severity; the returned reference stays valid until the
  /// next report.
  Diagnostic& report(Kind kind, ir::SourceRange range, std::string message);
  Diagnostic& report(Kind kind, Severity severity, ir::SourceRange range, std::string message);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t count(Severity s) const;
  bool has_errors() const { return count(Severity::Error) != 0; }
  void clear() { diagnostics_.clear(); }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Sorts by file, line, column and id, and drops exact duplicates: the order every renderer
/// shows.
std::vector<Diagnostic> sorted_unique(const std::vector<Diagnostic>& diags);

}  // namespace af::diag
