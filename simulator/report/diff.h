// Two rule sets over the same recording: which events one logs and the other does not, where
// the key changes, and how each rule's hits move (rules are paired by their canonical text).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "simulator/replay.h"
#include "simulator/report/summary.h"

namespace af::sim {

class DiffReport {
 public:
  static constexpr size_t kExamples = 10;
  DiffReport(std::vector<RuleLabel> a, std::vector<RuleLabel> b);

  /// Returns true when the two decisions differ in what is logged or with which key.
  bool add(const ReplayedEvent& event, const Decision& a, const Decision& b);

  nlohmann::json to_json() const;
  void write_text(std::ostream& out) const;

 private:
  struct Change {
    uint64_t events = 0;
    std::vector<std::string> examples;
    void add(const std::string& id);
  };
  std::vector<RuleLabel> a_, b_;
  std::vector<uint64_t> hits_a_, hits_b_;
  uint64_t events_ = 0, undetermined_ = 0;
  Change gained_, lost_, key_changed_;
  std::map<std::pair<std::string, std::string>, uint64_t> key_changes_;  // (a, b) -> events
};

}  // namespace af::sim
