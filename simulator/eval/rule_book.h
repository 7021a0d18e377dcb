// A loaded rule set, indexed the way the kernel's lists are, and the decision the kernel
// would take for a recorded event: task list at fork, exit list in order, then the inode
// (watch) pass by priority, then the exclude list per record; the user list for user-space
// messages (rules-semantics §5.2-5.11).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/rule.h"
#include "simulator/eval/exit_index.h"
#include "simulator/eval/fast_fields.h"
#include "simulator/eval/field_match.h"
#include "simulator/model/syscall_facts.h"

namespace af::sim {

enum class Verdict : uint8_t { Fired, Suppressed, Unmatched, Undetermined };
std::string_view verdict_name(Verdict v);

struct Decision {
  Verdict verdict = Verdict::Unmatched;
  int32_t rule = -1;    // index into RuleBook::rules() of the deciding rule, -1 for none
  std::string key;      // the event key as the kernel would log it (keys joined by 0x01)
  std::string reason;   // undetermined: what the log lacks; otherwise a note or empty
  bool logged = false;  // whether the event's main record would reach the log
};

/// One line of --explain: a rule and what became of it.
struct ExplainStep {
  int32_t rule = -1;
  std::string outcome;  // "matched", "no: uid=0 (uid!=0)", "skipped: ...", "undetermined: ..."
};

class RuleBook {
 public:
  /// `rules` in the kernel's order (sema::loaded_rules): list by list, each in priority order.
  explicit RuleBook(std::vector<ir::Rule> rules);

  const std::vector<ir::Rule>& rules() const { return rules_; }

  /// The kernel's decision for a syscall event. `trace`, when given, receives every rule
  /// considered (for --explain).
  Decision decide_syscall(const SyscallFacts& facts, std::vector<ExplainStep>* trace = nullptr);

  /// User-space messages (USER_*, 1100-1199 and 2100-2999): the user list, then exclude.
  Decision decide_user_message(uint32_t type, const SyscallFacts& sender);

  /// Whether the exclude list drops a record of `type` created by the task described by
  /// `task`: the dropping rule, or -1. A field the kernel's audit_filter does not know stops
  /// the scan and keeps the record; a field the log cannot tell makes the answer Unknown.
  struct ExcludeResult {
    int32_t rule = -1;
    bool unknown = false;
    std::string why;
  };
  ExcludeResult excluded_by(uint32_t type, const SyscallFacts& task) const;

  /// Other kernel records (no SYSCALL, not a user message): only the exclude list applies.
  Decision decide_other_record(uint32_t type, const SyscallFacts& task) const;

  bool has_exclude_rules() const { return !exclude_.empty(); }

  /// What the reader must extract from each event for these rules.
  const FactNeeds& needs() const { return needs_; }
  /// What the reader must extract from an event of this syscall: the task and exclude lists'
  /// fields and those of the exit-list rules whose masks hold the syscall.
  const FactNeeds& needs_for(uint32_t arch, uint32_t syscall) {
    return candidates(arch, syscall).needs;
  }

 private:
  struct Candidates {
    std::vector<uint32_t> exit;   // exit-list rules whose mask has the syscall, in order
    std::vector<uint32_t> watch;  // inode-hash (path=) rules, in order
    // The same without the rules a perm= field rules out for this syscall whatever the event
    // (perm_never_holds): what a replay tries. --explain goes through all of them.
    std::vector<uint32_t> live_exit, live_watch;
    ExitIndex index;  // over live_exit
    FactNeeds needs;  // what deciding this syscall reads: the live rules' fields
  };
  const Candidates& candidates(uint32_t arch, uint32_t syscall);
  // All fields ANDed: False as soon as one is false; Unknown if none is false but one is.
  // audit_filter() for the user and exclude lists: -1 no rule matched, else the rule index;
  // `stopped` when a field outside its vocabulary ended the scan (the record is kept).
  // The exclude list's verdict on a record that would otherwise be logged.
  void apply_exclude(uint32_t type, const SyscallFacts& task, Decision& d) const;
  FieldResult match_message_rule(const ir::Rule& rule, uint32_t type, const SyscallFacts& task,
                                 bool& stopped) const;
  FieldResult match_rule(uint32_t index, const SyscallFacts& facts, const PathItem* name,
                         FilterContext context, const SlotValues* slots = nullptr) const;

  std::vector<ir::Rule> rules_;
  std::vector<uint32_t> task_, exit_, user_, exclude_;  // indices into rules_, in order
  FactNeeds needs_;
  FactNeeds every_syscall_needs_;   // arch, syscall, and the task and exclude lists' fields
  std::vector<std::string> keys_;   // per rule, joined as the kernel logs them
  std::vector<FastRule> fast_;      // per rule, for the exit list
  std::vector<bool> is_watch_;      // lives in the inode hash
  std::vector<uint32_t> priority_;  // position in the exit list
  std::unordered_map<uint64_t, Candidates> index_;
  // The (arch, syscall) lookups of late, in front of index_ (whose entries never move). A
  // copied RuleBook starts with an empty one: the pointers are into its own index_.
  struct RecentCandidates {
    uint64_t key = UINT64_MAX;
    const Candidates* candidates = nullptr;
  };
  struct RecentCache {
    std::array<RecentCandidates, 256> slots{};
    RecentCache() = default;
    RecentCache(const RecentCache&) {}
    RecentCache& operator=(const RecentCache&) {
      slots = {};
      return *this;
    }
  };
  RecentCache recent_;
  // The inode hash, keyed by the watched path as the log names files: path= rules per path
  // in priority order, and inode= rules, which any name may match.
  NameMap<std::vector<uint32_t>> watch_by_path_;
  // path= rules by the watched file's name, for names whose directory the log cannot place.
  NameMap<std::vector<uint32_t>> watch_by_leaf_;
  std::vector<uint32_t> selected_;  // scratch: the exit candidates ExitIndex kept
  std::vector<uint32_t> watch_by_inode_;
};

}  // namespace af::sim
