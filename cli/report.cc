#include "cli/report.h"

#include <fmt/format.h>

#include <cstdio>

#include "compiler/diag/render.h"

namespace af::cli {

std::string diagnostic_summary(const diag::DiagnosticSink& diags) {
  auto plural = [](size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::vector<std::string> parts;
  if (size_t n = diags.count(diag::Severity::Error)) parts.push_back(plural(n, "error"));
  if (size_t n = diags.count(diag::Severity::Warning)) parts.push_back(plural(n, "warning"));
  if (size_t n = diags.count(diag::Severity::Note)) parts.push_back(plural(n, "note"));
  return fmt::format("{}", fmt::join(parts, ", "));
}

sema::PolicyOptions policy_options(const std::string& arch_list) {
  sema::PolicyOptions o;
  size_t pos = 0;
  while (pos < arch_list.size()) {
    size_t comma = arch_list.find(',', pos);
    if (comma == std::string::npos) comma = arch_list.size();
    if (comma > pos) o.arches.push_back(arch_list.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return o;
}

void print_diagnostics(const Compilation& c) {
  std::string text = diag::render_text(c.diags.diagnostics(), c.sources);
  if (text.empty()) return;
  std::fputs(text.c_str(), stderr);
  std::fprintf(stderr, "%s\n", diagnostic_summary(c.diags).c_str());
}

}  // namespace af::cli
