// Helpers for compiler unit tests: compile inline rule text and look at the result.
#pragma once

#include <string>
#include <vector>

#include "compiler/compiler.h"

namespace af::test {

/// Compiles `text` as a classic rules file named "t.rules"; watch paths are not stat()ed so
/// results do not depend on the host.
inline Compilation compile(const std::string& text) {
  Compilation c;
  sema::LowerOptions o;
  o.stat_watch_paths = false;
  load_classic_text("t.rules", text, c, o);
  return c;
}

inline std::vector<std::string> ids(const Compilation& c) {
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : c.diags.diagnostics()) out.emplace_back(d.id());
  return out;
}

inline std::vector<ir::Rule> rules(const Compilation& c) {
  std::vector<ir::Rule> out;
  c.rules.for_each_rule([&](const ir::Rule& r) { out.push_back(r); });
  return out;
}

}  // namespace af::test
