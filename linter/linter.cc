// The lint driver: runs the enabled checks, turns compiler diagnostics into findings, then
// applies `# auditforge: disable=` comments and the configuration.
#include "linter/linter.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "linter/check_context.h"

namespace af::lint {
namespace {

using Runner = void (*)(const CheckContext&, Reporter&);

struct Registered {
  CheckInfo info;
  Runner runner;
};

const std::vector<Registered>& registry() {
  static const std::vector<Registered> entries = {
#define AF_CHECK(name, id, family, severity, runner, summary) \
  {{CheckId::name, id, Family::family, diag::Severity::severity, summary}, &runner},
#include "linter/checks/registry.def"
#undef AF_CHECK
  };
  return entries;
}

constexpr std::string_view kDirective = "auditforge:";

// "# auditforge: disable=a,b" -> {"a", "b"}; anything else -> {}.
std::vector<std::string> disabled_by(std::string_view line) {
  size_t hash = line.find_first_not_of(" \t");
  if (hash == std::string_view::npos || line[hash] != '#') return {};
  size_t at = line.find_first_not_of(" \t", hash + 1);
  if (at == std::string_view::npos || line.substr(at, kDirective.size()) != kDirective) return {};
  std::string_view rest = line.substr(at + kDirective.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  constexpr std::string_view kDisable = "disable=";
  if (rest.substr(0, kDisable.size()) != kDisable) return {};
  rest.remove_prefix(kDisable.size());
  rest = rest.substr(0, rest.find_first_of(" \t\r"));
  std::vector<std::string> ids;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view id = rest.substr(0, comma);
    if (!id.empty()) ids.emplace_back(id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return ids;
}

bool known_id(std::string_view id) {
  return find_check(id) != nullptr || diag::kind_from_id(id).has_value();
}

// Applies suppression comments: a directive on the line just above the finding or above the
// first line of its rule. Reports directives that name unknown checks.
void suppress(std::vector<Finding>& findings, const diag::SourceSet& sources, Reporter& extra) {
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::string>> directives;
  for (uint32_t file = 1; file <= sources.size(); ++file) {
    const diag::SourceFile& src = sources.file(file);
    if (src.bytes.find(kDirective) == std::string::npos) continue;
    for (uint32_t line = 1; line <= src.line_count(); ++line) {
      std::vector<std::string> ids = disabled_by(src.line(line));
      if (ids.empty()) continue;
      for (const std::string& id : ids)
        if (!known_id(id))
          extra.report(CheckId::HygieneUnknownSuppression, ir::SourceRange{file, line, 1, 1},
                       fmt::format("'# auditforge: disable=' names an unknown check '{}'", id));
      directives[{file, line}] = std::move(ids);
    }
  }
  if (directives.empty()) return;
  auto silenced = [&](const Finding& f, const ir::SourceRange& at) {
    if (!at.valid() || at.line < 2) return false;
    auto it = directives.find({at.file, at.line - 1});
    return it != directives.end() &&
           std::find(it->second.begin(), it->second.end(), f.check) != it->second.end();
  };
  std::erase_if(findings, [&](const Finding& f) {
    if (f.severity == diag::Severity::Error && !find_check(f.check)) return false;
    return silenced(f, f.range) || silenced(f, f.rule);
  });
}

}  // namespace

std::string_view family_name(Family f) {
  switch (f) {
    case Family::Correctness:
      return "correctness";
    case Family::Portability:
      return "portability";
    case Family::Noise:
      return "noise";
    case Family::Hygiene:
      return "hygiene";
  }
  return "?";
}

const std::vector<CheckInfo>& all_checks() {
  static const std::vector<CheckInfo> checks = [] {
    std::vector<CheckInfo> out;
    for (const Registered& r : registry()) out.push_back(r.info);
    return out;
  }();
  return checks;
}

const CheckInfo& info(CheckId id) { return all_checks()[static_cast<size_t>(id)]; }

const CheckInfo* find_check(std::string_view id) {
  for (const CheckInfo& c : all_checks())
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<Finding> lint(const LintInput& in) {
  const Compilation& c = *in.compilation;
  const auto& overrides = in.config.overrides;
  auto enabled = [&](std::string_view id) {
    auto it = overrides.find(id);
    return it == overrides.end() || it->second.has_value();
  };

  CheckContext ctx{c.rules,           *in.kernel_rules, c.sources,
                   in.config.options, in.rates,         in.path_exists};
  Reporter out;
  std::vector<Runner> done;
  for (const Registered& r : registry()) {
    if (!enabled(r.info.id) || std::find(done.begin(), done.end(), r.runner) != done.end())
      continue;
    r.runner(ctx, out);
    done.push_back(r.runner);
  }
  std::vector<Finding> findings = std::move(out.findings());
  // A shared runner reports every id it knows; drop the disabled ones.
  std::erase_if(findings, [&](const Finding& f) { return !enabled(f.check); });

  for (const diag::Diagnostic& d : c.diags.diagnostics()) {
    Finding f;
    f.check = d.id();
    f.severity = d.severity;
    f.range = d.range;
    f.message = d.message;
    f.notes = d.notes;
    findings.push_back(std::move(f));
  }

  add_arch_split_fixes(findings, c.rules, c.sources);

  Reporter extra;
  suppress(findings, c.sources, extra);
  for (Finding& f : extra.findings()) findings.push_back(std::move(f));

  // Configuration: compiler errors stay errors; everything else may be re-levelled or off.
  std::erase_if(findings, [&](Finding& f) {
    auto it = overrides.find(f.check);
    if (it == overrides.end()) return false;
    if (f.severity == diag::Severity::Error && !find_check(f.check)) return false;
    if (!it->second) return true;
    f.severity = *it->second;
    return false;
  });

  auto key = [](const Finding& f) {
    return std::make_tuple(f.range.file, f.range.line, f.range.column, f.check,
                           std::string_view(f.message));
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
  return findings;
}

Counts count(const std::vector<Finding>& findings) {
  Counts n;
  for (const Finding& f : findings) {
    if (f.severity == diag::Severity::Error) ++n.errors;
    if (f.severity == diag::Severity::Warning) ++n.warnings;
    if (f.severity == diag::Severity::Note) ++n.notes;
  }
  return n;
}

}  // namespace af::lint
