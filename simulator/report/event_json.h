// One replayed event as the JSON object DESIGN.md fixes for `simulate --format jsonl`:
// event, node, syscall, arch, verdict, rule {index, origin}, keys, reason; plus type, logged
// and the key the log recorded (input data: it never decides a verdict).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "simulator/replay.h"
#include "simulator/report/summary.h"

namespace af::sim {

/// The keys of a joined kernel key (split at byte 0x01, as ausearch does).
std::vector<std::string> split_keys(const std::string& joined);

nlohmann::json decision_json(const Decision& d, const std::vector<RuleLabel>& labels);
nlohmann::json event_json(const ReplayedEvent& e, const Decision& d,
                          const std::vector<RuleLabel>& labels);

}  // namespace af::sim
