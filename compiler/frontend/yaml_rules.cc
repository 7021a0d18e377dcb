#include "compiler/frontend/yaml_rules.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>

#include "compiler/frontend/input_lines.h"

namespace af::frontend {
namespace {

// Rule text by 1-based line, with the column its text starts at.
using Placed = std::map<uint32_t, std::pair<uint32_t, std::string>>;

// Auditbeat: auditbeat.modules[*] with module: auditd, key audit_rules (usually a literal
// block, whose lines start on the line after the key).
void auditbeat_rules(const YAML::Node& root, const std::string& raw, Placed& out) {
  YAML::Node modules = root["auditbeat.modules"];
  if (!modules || !modules.IsSequence()) return;
  for (const YAML::Node& m : modules) {
    if (!m.IsMap() || !m["module"] || m["module"].as<std::string>("") != "auditd") continue;
    YAML::Node rules = m["audit_rules"];
    if (!rules || !rules.IsScalar()) continue;
    std::string text = rules.as<std::string>();
    // yaml-cpp marks a block scalar at its indicator; find where its content begins.
    uint32_t line = static_cast<uint32_t>(rules.Mark().line) + 1;  // 1-based
    size_t at = 0;
    for (uint32_t n = 1; n < line && at != std::string::npos; ++n) at = raw.find('\n', at) + 1;
    std::string_view indicator_line(raw.c_str() + at, raw.find('\n', at) - at);
    bool block = indicator_line.find('|') != std::string_view::npos ||
                 indicator_line.find('>') != std::string_view::npos;
    uint32_t first = block ? line + 1 : line;
    size_t pos = 0;
    uint32_t n = first;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string rule = text.substr(pos, nl - pos);
      // The column: where this text starts on its YAML line.
      size_t line_at = 0;
      for (uint32_t k = 1; k < n && line_at != std::string::npos; ++k)
        line_at = raw.find('\n', line_at) + 1;
      uint32_t col = 1;
      if (line_at != std::string::npos && !rule.empty()) {
        size_t found = raw.find(rule, line_at);
        size_t eol = raw.find('\n', line_at);
        if (found != std::string::npos && (eol == std::string::npos || found < eol))
          col = static_cast<uint32_t>(found - line_at) + 1;
      }
      if (!rule.empty()) out[n] = {col, rule};
      pos = nl + 1;
      ++n;
    }
  }
}

// go-audit: a top-level `rules:` sequence of strings, each on its own line.
void go_audit_rules(const YAML::Node& root, const std::string& raw, Placed& out) {
  YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence()) return;
  for (const YAML::Node& r : rules) {
    if (!r.IsScalar()) continue;
    uint32_t line = static_cast<uint32_t>(r.Mark().line) + 1;
    uint32_t col = static_cast<uint32_t>(r.Mark().column) + 1;
    // A quoted scalar's mark is its opening quote; the text starts one column later.
    size_t at = static_cast<size_t>(r.Mark().pos);
    if (at < raw.size() && (raw[at] == '"' || raw[at] == '\'')) ++col;
    out[line] = {col, r.as<std::string>()};
  }
}

}  // namespace

bool is_yaml_input(const std::string& path) {
  return path.ends_with(".yml") || path.ends_with(".yaml");
}

Expected<uint32_t> extract_yaml_rules(const std::string& path, diag::SourceSet& sources,
                                      diag::DiagnosticSink& diags) {
  auto raw = read_input(path);
  if (!raw) return tl::unexpected(raw.error());
  Placed placed;
  try {
    YAML::Node root = YAML::Load(*raw);
    auditbeat_rules(root, *raw, placed);
    go_audit_rules(root, *raw, placed);
  } catch (const YAML::Exception& e) {
    uint32_t id = sources.add(path, *raw);
    diags.report(
        diag::Kind::SyntaxUnexpected,
        {id, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1),
         static_cast<uint32_t>(e.mark.column + 2)},
        fmt::format("not valid YAML: {}", e.msg));
    return sources.add(path + " (rules)", "");
  }
  std::string text;
  uint32_t line = 1;
  for (const auto& [n, placed_rule] : placed) {
    for (; line < n; ++line) text += '\n';
    text += std::string(placed_rule.first - 1, ' ') + placed_rule.second + '\n';
    ++line;
  }
  if (placed.empty()) {
    diags.report(diag::Kind::InputNoRules, {},
                 fmt::format("'{}' holds no audit rules (no auditd "
                             "audit_rules block, no go-audit rules "
                             "list)",
                             path));
  }
  return sources.add(path, std::move(text));
}

}  // namespace af::frontend
