#include "simulator/eval/exit_index.h"

#include <algorithm>

#include "simulator/eval/field_match.h"

namespace af::sim {
namespace {

// Below this many candidates a plain scan is as fast as selecting.
constexpr size_t kMinCandidates = 12;

// Slots worth filing a rule under: ones whose values spread events out. arch is the same for
// every candidate, success has two values, the loginuid-set flag and personality barely vary.
bool discriminating(Slot s) {
  return s != Slot::Arch && s != Slot::Success && s != Slot::LoginuidSet && s != Slot::Pers;
}

}  // namespace

ExitIndex::ExitIndex(const std::vector<uint32_t>& candidates, const std::vector<ir::Rule>& rules,
                     const std::vector<FastRule>& fast) {
  if (candidates.size() < kMinCandidates) return;
  for (uint32_t i : candidates) {
    const FastTest* pin = nullptr;
    for (const FastTest& t : fast[i].tests)
      if (t.op == ir::Op::Equal && discriminating(t.slot)) {
        pin = &t;
        break;
      }
    if (pin) {
      auto table = std::find_if(by_number_.begin(), by_number_.end(),
                                [&](const ByNumber& b) { return b.slot == pin->slot; });
      if (table == by_number_.end()) {
        by_number_.push_back({pin->slot, {}, {}});
        table = by_number_.end() - 1;
      }
      table->all.push_back(i);
      table->by_value[pin->value].push_back(i);
      continue;
    }
    const ir::Rule& r = rules[i];
    const ir::Field* exe = r.find(AUDIT_EXE);
    if (exe && exe->op == ir::Op::Equal) {
      exe_all_.push_back(i);
      by_exe_[exe->text].push_back(i);
      continue;
    }
    // dir= values are kept normalised by RuleBook, like the names they are compared with.
    const ir::Field* dir = r.find(AUDIT_DIR);
    if (dir && dir->op == ir::Op::Equal && !dir->text.empty()) {
      dir_all_.push_back(i);
      by_dir_[dir->text].push_back(i);
      continue;
    }
    unfiled_.push_back(i);
  }
  worthwhile_ = unfiled_.size() * 2 < candidates.size();
}

void ExitIndex::add_all(const std::vector<uint32_t>& rules) const {
  picked_.insert(picked_.end(), rules.begin(), rules.end());
}

// A dir= rule can only match a name inside its tree: look up every ancestor of every placed
// name. A name the log cannot place keeps them all (the rule may then be undetermined), as
// does an event whose PATH records are missing.
void ExitIndex::add_dir_rules(const SyscallFacts& f) const {
  if (f.paths.empty() && f.items > 0) return add_all(dir_all_);
  for (const PathItem& p : f.paths)
    if (p.has_inode && !name_is_placed(f, p)) return add_all(dir_all_);
  for (const PathItem& p : f.paths) {
    if (!p.has_inode) continue;
    std::string_view path = p.resolved;
    auto look = [&](std::string_view dir) {
      auto hit = by_dir_.find(dir);
      if (hit != by_dir_.end()) add_all(hit->second);
    };
    look("/");
    for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      if (slash == std::string_view::npos) {
        if (path.size() > 1) look(path);
        break;
      }
      look(path.substr(0, slash));
    }
  }
}

void ExitIndex::select(const SyscallFacts& f, const SlotValues& s,
                       std::vector<uint32_t>& out) const {
  picked_.clear();
  for (const ByNumber& table : by_number_) {
    if (!(s.present & (1u << static_cast<uint32_t>(table.slot)))) {
      add_all(table.all);
      continue;
    }
    auto hit = table.by_value.find(s.value[static_cast<size_t>(table.slot)]);
    if (hit != table.by_value.end()) add_all(hit->second);
  }
  if (!exe_all_.empty()) {
    if (!f.has(Fact::Exe)) {
      add_all(exe_all_);
    } else if (auto hit = by_exe_.find(std::string_view(f.exe)); hit != by_exe_.end()) {
      add_all(hit->second);
    }
  }
  if (!dir_all_.empty()) add_dir_rules(f);
  // Each rule is filed once, but a dir= rule can be reached through several names.
  // Usually one list was added, already in order.
  if (!std::is_sorted(picked_.begin(), picked_.end())) std::sort(picked_.begin(), picked_.end());
  picked_.erase(std::unique(picked_.begin(), picked_.end()), picked_.end());
  out.clear();
  std::merge(unfiled_.begin(), unfiled_.end(), picked_.begin(), picked_.end(),
             std::back_inserter(out));
}

}  // namespace af::sim
