// Findings for people: the compiler's clang-style rendering, one entry per finding.
#include "compiler/diag/render.h"
#include "linter/linter.h"

namespace af::lint {

std::string render_text(const std::vector<Finding>& findings, const diag::SourceSet& sources) {
  std::string out;
  for (const Finding& f : findings)
    diag::append_text_entry(out, f.check, f.severity, f.range, f.message, f.notes, sources);
  return out;
}

}  // namespace af::lint
