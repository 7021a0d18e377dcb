// Findings for machines: the shape issue #6 fixes, keys in that order.
#include <nlohmann/json.hpp>

#include "linter/linter.h"

namespace af::lint {

std::string render_json(const std::vector<Finding>& findings, const diag::SourceSet& sources) {
  using Json = nlohmann::ordered_json;
  Json list = Json::array();
  for (const Finding& f : findings) {
    Json j;
    j["check"] = std::string(f.check);
    j["severity"] = std::string(diag::severity_name(f.severity));
    bool located = f.range.valid() && f.range.file <= sources.size();
    j["file"] = located ? Json(sources.file(f.range.file).name) : Json(nullptr);
    j["line"] = located ? Json(f.range.line) : Json(nullptr);
    j["column"] = located ? Json(f.range.column) : Json(nullptr);
    j["message"] = f.message;
    list.push_back(std::move(j));
  }
  Counts n = count(findings);
  Json root;
  root["findings"] = std::move(list);
  root["summary"] = {{"errors", n.errors}, {"warnings", n.warnings}, {"notes", n.notes}};
  // Messages quote user input, which may not be UTF-8.
  return root.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace af::lint
