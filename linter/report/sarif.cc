// Findings as SARIF 2.1.0, in the subset GitHub code scanning reads: one run, the check
// catalogue (plus the compiler ids that occur) as rules with help links, one result per
// finding with a physical location.
#include <map>
#include <nlohmann/json.hpp>

#include "linter/linter.h"

namespace af::lint {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kInformationUri = "https://github.com/auditforge/auditforge";
constexpr std::string_view kDocsUri = "https://github.com/auditforge/auditforge/blob/main/docs/";

std::string level(diag::Severity s) {
  switch (s) {
    case diag::Severity::Error:
      return "error";
    case diag::Severity::Warning:
      return "warning";
    case diag::Severity::Note:
      return "note";
  }
  return "warning";
}

Json rule_entry(std::string_view id, std::string_view summary, diag::Severity severity,
                std::string help) {
  Json r;
  r["id"] = std::string(id);
  r["shortDescription"] = {{"text", std::string(summary)}};
  r["helpUri"] = std::move(help);
  r["defaultConfiguration"] = {{"level", level(severity)}};
  return r;
}

std::string fmt_help(std::string_view id) {
  return std::string(kDocsUri) + "lint/" + std::string(id) + ".md";
}

}  // namespace

std::string render_sarif(const std::vector<Finding>& findings, const diag::SourceSet& sources) {
  Json rules = Json::array();
  std::map<std::string, size_t, std::less<>> index;
  for (const CheckInfo& c : all_checks()) {
    index.emplace(std::string(c.id), rules.size());
    Json r = rule_entry(c.id, c.summary, c.severity, fmt_help(c.id));
    r["properties"] = {{"tags", {std::string(family_name(c.family))}}};
    rules.push_back(std::move(r));
  }
  // Compiler diagnostics are findings too; they are described in the lint catalogue.
  for (const Finding& f : findings) {
    if (index.count(f.check)) continue;
    auto kind = diag::kind_from_id(f.check);
    const diag::KindInfo* k = kind ? &diag::info(*kind) : nullptr;
    index.emplace(std::string(f.check), rules.size());
    rules.push_back(rule_entry(f.check, k ? k->summary : f.check,
                               k ? k->severity : diag::Severity::Error,
                               std::string(kDocsUri) + "lint/README.md#compiler-diagnostics"));
  }

  Json results = Json::array();
  for (const Finding& f : findings) {
    Json r;
    r["ruleId"] = std::string(f.check);
    r["ruleIndex"] = index.find(f.check)->second;
    r["level"] = level(f.severity);
    r["message"] = {{"text", f.message}};
    Json physical;
    bool located = f.range.valid() && f.range.file <= sources.size();
    std::string uri = located ? sources.file(f.range.file).name : "-";
    if (!uri.empty() && uri[0] == '/') uri = "file://" + uri;
    physical["artifactLocation"] = {{"uri", uri}};
    Json region;
    region["startLine"] = located ? f.range.line : 1u;
    if (located && f.range.column) {
      region["startColumn"] = f.range.column;
      if (f.range.end_column > f.range.column) region["endColumn"] = f.range.end_column;
    }
    physical["region"] = std::move(region);
    Json location;
    location["physicalLocation"] = std::move(physical);
    r["locations"] = Json::array();
    r["locations"].push_back(std::move(location));
    results.push_back(std::move(r));
  }

  Json driver;
  driver["name"] = "auditforge";
  driver["informationUri"] = std::string(kInformationUri);
  driver["version"] = "0.1.0";
  driver["rules"] = std::move(rules);
  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["results"] = std::move(results);
  Json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = Json::array();
  root["runs"].push_back(std::move(run));
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace af::lint
