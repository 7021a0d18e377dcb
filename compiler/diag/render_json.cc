#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"

namespace af::diag {
namespace {

// File names and messages may hold any byte (they quote user input); nlohmann::json throws
// on invalid UTF-8 when dumping, so replace such bytes instead.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json location(const ir::SourceRange& r, const SourceSet& sources) {
  nlohmann::json j = nlohmann::json::object();
  if (!r.valid() || r.file > sources.size()) {
    j["file"] = nullptr;
    j["line"] = nullptr;
    j["column"] = nullptr;
    return j;
  }
  j["file"] = sources.file(r.file).name;
  j["line"] = r.line;
  j["column"] = r.column;
  return j;
}

}  // namespace

std::string render_json(const std::vector<Diagnostic>& diags, const SourceSet& sources) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : sorted_unique(diags)) {
    nlohmann::json j = location(d.range, sources);
    j["id"] = std::string(d.id());
    j["severity"] = std::string(severity_name(d.severity));
    j["message"] = d.message;
    nlohmann::json notes = nlohmann::json::array();
    for (const Note& n : d.notes) {
      nlohmann::json nj = location(n.range, sources);
      nj["message"] = n.text;
      notes.push_back(std::move(nj));
    }
    j["notes"] = std::move(notes);
    list.push_back(std::move(j));
  }
  nlohmann::json root;
  root["diagnostics"] = std::move(list);
  return dump(root) + "\n";
}

}  // namespace af::diag
