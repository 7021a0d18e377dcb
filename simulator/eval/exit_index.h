// Which of an (arch, syscall)'s exit-list candidates can still match an event, so that large
// rule sets are not tried rule by rule. Each rule is filed under one field that pins a single
// value (a numeric `=` test such as uid=1000 or a0=3, exe=, or dir=); an event then only
// needs the rules filed under its own values, plus every rule filed nowhere. The choice is
// exact, never a guess: a rule left out has a field that is certainly false for the event,
// and a field is false whatever the others say (fields are ANDed). Where the log lacks the
// value a rule is filed under, all rules filed under that field are kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/rule.h"
#include "simulator/eval/fast_fields.h"
#include "simulator/model/syscall_facts.h"

namespace af::sim {

/// A map keyed by names (paths, exe=) that a string_view can search without a copy.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;

class ExitIndex {
 public:
  ExitIndex() = default;
  /// `candidates`: rule indices in kernel order (ascending); `rules` and `fast` by rule index.
  ExitIndex(const std::vector<uint32_t>& candidates, const std::vector<ir::Rule>& rules,
            const std::vector<FastRule>& fast);

  /// Whether selecting is cheaper than trying every candidate.
  bool worthwhile() const { return worthwhile_; }

  /// The candidates that may match, in kernel order, into `out` (cleared first).
  void select(const SyscallFacts& facts, const SlotValues& slots, std::vector<uint32_t>& out) const;

 private:
  using ByText = NameMap<std::vector<uint32_t>>;
  struct ByNumber {
    Slot slot;
    std::vector<uint32_t> all;  // every rule filed here, ascending
    std::unordered_map<uint32_t, std::vector<uint32_t>> by_value;
  };
  void add_all(const std::vector<uint32_t>& rules) const;
  void add_dir_rules(const SyscallFacts& facts) const;

  bool worthwhile_ = false;
  std::vector<uint32_t> unfiled_;  // ascending
  std::vector<ByNumber> by_number_;
  std::vector<uint32_t> exe_all_, dir_all_;
  ByText by_exe_, by_dir_;
  mutable std::vector<uint32_t> picked_;  // scratch for select()
};

}  // namespace af::sim
