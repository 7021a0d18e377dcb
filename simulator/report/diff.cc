#include "simulator/report/diff.h"

#include <algorithm>

#include "simulator/report/event_json.h"

namespace af::sim {
namespace {

std::string key_text(const std::string& joined) {
  if (joined.empty()) return "(none)";
  std::string out;
  for (const std::string& k : split_keys(joined)) out += (out.empty() ? "" : ",") + k;
  return out;
}

}  // namespace

DiffReport::DiffReport(std::vector<RuleLabel> a, std::vector<RuleLabel> b)
    : a_(std::move(a)), b_(std::move(b)), hits_a_(a_.size()), hits_b_(b_.size()) {}

void DiffReport::Change::add(const std::string& id) {
  ++events;
  if (examples.size() < kExamples) examples.push_back(id);
}

bool DiffReport::add(const ReplayedEvent& event, const Decision& a, const Decision& b) {
  ++events_;
  if (a.verdict == Verdict::Undetermined || b.verdict == Verdict::Undetermined) {
    ++undetermined_;
    return false;
  }
  if (a.rule >= 0 && static_cast<size_t>(a.rule) < hits_a_.size())
    ++hits_a_[static_cast<size_t>(a.rule)];
  if (b.rule >= 0 && static_cast<size_t>(b.rule) < hits_b_.size())
    ++hits_b_[static_cast<size_t>(b.rule)];
  if (a.logged == b.logged && (a.key == b.key || !a.logged)) return false;
  std::string id = event.event->id();
  if (!a.logged)
    gained_.add(id);
  else if (!b.logged)
    lost_.add(id);
  else {
    key_changed_.add(id);
    ++key_changes_[{key_text(a.key), key_text(b.key)}];
  }
  return true;
}

nlohmann::json DiffReport::to_json() const {
  auto change = [](const Change& c) {
    return nlohmann::json{{"events", c.events}, {"examples", c.examples}};
  };
  nlohmann::json rules = nlohmann::json::array();
  // Pair rules by canonical text; a rule only in one set has hits on one side.
  std::map<std::string, std::pair<int64_t, int64_t>> by_text;
  for (size_t i = 0; i < a_.size(); ++i)
    by_text[a_[i].text].first += static_cast<int64_t>(hits_a_[i]) + 0;
  for (size_t i = 0; i < b_.size(); ++i)
    by_text[b_[i].text].second += static_cast<int64_t>(hits_b_[i]);
  std::map<std::string, bool> in_a, in_b;
  for (const RuleLabel& l : a_) in_a[l.text] = true;
  for (const RuleLabel& l : b_) in_b[l.text] = true;
  for (const auto& [text, hits] : by_text) {
    if (hits.first == hits.second) continue;  // unchanged, or in one set and never hit
    rules.push_back({{"rule", text},
                     {"in", in_a.count(text) && in_b.count(text) ? "both"
                            : in_a.count(text)                   ? "a"
                                                                 : "b"},
                     {"hits_a", hits.first},
                     {"hits_b", hits.second},
                     {"delta", hits.second - hits.first}});
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [pair, n] : key_changes_)
    keys.push_back({{"from", pair.first}, {"to", pair.second}, {"events", n}});
  return {
      {"events", events_},     {"undetermined", undetermined_},       {"gained", change(gained_)},
      {"lost", change(lost_)}, {"key_changed", change(key_changed_)}, {"key_changes", keys},
      {"rules", rules}};
}

void DiffReport::write_text(std::ostream& out) const {
  nlohmann::json j = to_json();
  out << "Compared " << events_ << " events (" << undetermined_ << " undetermined in either set)\n";
  auto line = [&](const char* what, const Change& c) {
    out << "  " << what << ": " << c.events;
    if (!c.examples.empty()) {
      out << "  e.g.";
      for (const std::string& id : c.examples) out << " " << id;
    }
    out << "\n";
  };
  line("logged only by the new set (gained)", gained_);
  line("logged only by the old set (lost)   ", lost_);
  line("logged by both, key changed         ", key_changed_);
  for (const auto& [pair, n] : key_changes_)
    out << "    " << n << "  key " << pair.first << " -> " << pair.second << "\n";
  if (!j["rules"].empty()) {
    out << "Per-rule hits (old -> new):\n";
    for (const auto& r : j["rules"]) {
      int64_t d = r["delta"].get<int64_t>();
      out << "  " << r["hits_a"].get<int64_t>() << " -> " << r["hits_b"].get<int64_t>() << " ("
          << (d >= 0 ? "+" : "") << d << ")  [" << r["in"].get<std::string>() << "]  "
          << r["rule"].get<std::string>() << "\n";
    }
  }
}

}  // namespace af::sim
