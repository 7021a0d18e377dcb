#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace af::diag {

const std::vector<KindInfo>& all_kinds() {
  static const std::vector<KindInfo> kinds = {
#define AF_DIAG(name, id, severity, summary) {Kind::name, id, Severity::severity, summary},
#include "compiler/diag/kinds.def"
#undef AF_DIAG
  };
  return kinds;
}

const KindInfo& info(Kind kind) { return all_kinds()[static_cast<size_t>(kind)]; }

std::optional<Kind> kind_from_id(std::string_view id) {
  for (const KindInfo& k : all_kinds())
    if (k.id == id) return k.kind;
  return std::nullopt;
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

Diagnostic& DiagnosticSink::report(Kind kind, ir::SourceRange range, std::string message) {
  return report(kind, info(kind).severity, range, std::move(message));
}

Diagnostic& DiagnosticSink::report(Kind kind, Severity severity, ir::SourceRange range,
                                   std::string message) {
  diagnostics_.push_back({kind, severity, range, std::move(message), {}});
  return diagnostics_.back();
}

size_t DiagnosticSink::count(Severity s) const {
  return static_cast<size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                           [s](const Diagnostic& d) { return d.severity == s; }));
}

std::vector<Diagnostic> sorted_unique(const std::vector<Diagnostic>& diags) {
  std::vector<Diagnostic> out = diags;
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(d.range.file, d.range.line, d.range.column, d.id(),
                           std::string_view(d.message));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

}  // namespace af::diag
