#include "simulator/report/event_json.h"

namespace af::sim {

std::vector<std::string> split_keys(const std::string& joined) {
  std::vector<std::string> keys;
  if (joined.empty()) return keys;
  size_t start = 0;
  for (;;) {
    size_t sep = joined.find('\x01', start);
    keys.push_back(
        joined.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  return keys;
}

nlohmann::json decision_json(const Decision& d, const std::vector<RuleLabel>& labels) {
  nlohmann::json j;
  j["verdict"] = verdict_name(d.verdict);
  if (d.rule >= 0 && static_cast<size_t>(d.rule) < labels.size())
    j["rule"] = {{"index", d.rule + 1}, {"origin", labels[static_cast<size_t>(d.rule)].origin}};
  else
    j["rule"] = nullptr;
  j["keys"] = split_keys(d.key);
  j["reason"] = d.reason;
  j["logged"] = d.logged;
  return j;
}

nlohmann::json event_json(const ReplayedEvent& e, const Decision& d,
                          const std::vector<RuleLabel>& labels) {
  nlohmann::json j;
  j["event"] = e.event->id();
  j["node"] = e.event->node.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.event->node);
  j["type"] = e.type;
  if (e.kind == EventKind::Syscall) {
    j["syscall"] = e.syscall.empty() ? std::to_string(e.facts->syscall) : std::string(e.syscall);
    j["arch"] = e.arch.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.arch);
  } else {
    j["syscall"] = nullptr;
    j["arch"] = nullptr;
  }
  j.update(decision_json(d, labels));
  if (e.kind == EventKind::Syscall)
    j["recorded_keys"] = e.facts->has(Fact::Key) ? nlohmann::json(split_keys(e.facts->recorded_key))
                                                 : nlohmann::json(nullptr);
  return j;
}

}  // namespace af::sim
