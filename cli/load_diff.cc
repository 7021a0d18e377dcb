#include "cli/load_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"
#include "compiler/emit/rule_text.h"

namespace af::cli {
namespace {

using kernel::RuleChange;

// Added rules in the order the kernel will list them: prepends are sent in reverse.
std::vector<const RuleChange*> additions(const kernel::LoadPlan& plan) {
  std::vector<const RuleChange*> out;
  for (const RuleChange& c : plan.rules)
    if (c.op != RuleChange::Op::Delete) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](const RuleChange* a, const RuleChange* b) {
    return a->wanted.value_or(0) < b->wanted.value_or(0);
  });
  return out;
}

std::vector<kernel::SettingChange> setting_changes(const kernel::LoadPlan& plan) {
  std::vector<kernel::SettingChange> out = plan.settings_first;
  out.insert(out.end(), plan.settings_last.begin(), plan.settings_last.end());
  return out;
}

std::string plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

std::string rule_listing(const kernel::RuleBytes& rule) {
  emit::RuleData data;
  if (!emit::decode_rule(rule, data)) return "<a rule that does not decode>";
  // A fresh state per rule: a diff line must not depend on the line printed before it.
  emit::ListingState state;
  return emit::listing_text(data, state);
}

std::string diff_text(const kernel::LoadPlan& plan) {
  std::string out;
  for (const kernel::SettingChange& s : setting_changes(plan))
    out += fmt::format("~ {} {} -> {}\n", kernel::setting_name(s.setting), s.from, s.to);
  for (const RuleChange& c : plan.rules)
    if (c.op == RuleChange::Op::Delete) out += "- " + rule_listing(c.bytes) + "\n";
  for (const RuleChange* c : additions(plan)) out += "+ " + rule_listing(c->bytes) + "\n";
  return out;
}

std::string diff_json(const kernel::LoadPlan& plan, const kernel::LoadRequest& request,
                      const diag::SourceSet& sources) {
  nlohmann::json j;
  j["kept"] = plan.kept;
  j["delete"] = nlohmann::json::array();
  j["add"] = nlohmann::json::array();
  j["settings"] = nlohmann::json::array();
  j["skipped"] = nlohmann::json::array();
  for (const RuleChange& c : plan.rules)
    if (c.op == RuleChange::Op::Delete) j["delete"].push_back({{"rule", rule_listing(c.bytes)}});
  for (const RuleChange* c : additions(plan)) {
    std::string origin;
    if (c->wanted) origin = diag::format_location(request.rules[*c->wanted].origin, sources);
    j["add"].push_back({{"rule", rule_listing(c->bytes)},
                        {"position", c->op == RuleChange::Op::Prepend ? "prepend" : "append"},
                        {"origin", origin}});
  }
  for (const kernel::SettingChange& s : setting_changes(plan))
    j["settings"].push_back({{"name", kernel::setting_name(s.setting)},
                             {"from", s.from},
                             {"to", s.to},
                             {"origin", diag::format_location(s.origin, sources)}});
  for (const kernel::SkippedSetting& s : plan.skipped)
    j["skipped"].push_back({{"name", kernel::setting_name(s.setting)},
                            {"value", s.value},
                            {"reason", s.reason},
                            {"origin", diag::format_location(s.origin, sources)}});
  j["refusal"] = plan.refusal ? nlohmann::json(*plan.refusal) : nlohmann::json(nullptr);
  return j.dump(2) + "\n";
}

std::string diff_summary(const kernel::LoadPlan& plan, bool planned) {
  size_t deleted = plan.count(RuleChange::Op::Delete);
  size_t added = plan.rules.size() - deleted;
  size_t settings = plan.settings_first.size() + plan.settings_last.size();
  return fmt::format("{} kept, {} {}, {} {}, {} {}", plural(plan.kept, "rule"), deleted,
                     planned ? "to delete" : "deleted", added, planned ? "to add" : "added",
                     plural(settings, "setting"), planned ? "to change" : "changed");
}

}  // namespace af::cli
