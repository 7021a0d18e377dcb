#include "simulator/report/explain.h"

#include "compiler/tables/tables.h"
#include "simulator/report/event_json.h"

namespace af::sim {
namespace {

std::string why_not_tried(const ir::Rule& rule, const ReplayedEvent& e, const Decision& d) {
  switch (rule.list) {
    case ir::List::Exit:
      break;
    case ir::List::Task:
      return "not tried: an earlier task rule decided";
    case ir::List::Exclude:
      return "not tried: the record was not going to be logged, or an earlier exclude rule decided";
    case ir::List::User:
      return "not tried: the user list filters user-space messages only";
    default:
      return "not tried: this list does not decide recorded syscalls";
  }
  const SyscallFacts& f = *e.facts;
  if (f.syscall >= ir::SyscallMask::kMaxSyscall || !rule.mask.test(f.syscall))
    return "skipped: " +
           std::string(e.syscall.empty() ? std::to_string(f.syscall) : std::string(e.syscall)) +
           " is not in its syscall list";
  if (auto a = rule.arch(); a && *a != f.arch) return "skipped: it is for another arch";
  if (d.verdict == Verdict::Undetermined && d.rule >= 0)
    return "not tried: the replay cannot go past rule " + std::to_string(d.rule + 1);
  return "not tried: a rule of higher priority decided";
}

}  // namespace

void write_explain(std::ostream& out, const ReplayedEvent& e, RuleBook& book,
                   const std::vector<RuleLabel>& labels) {
  out << "event " << e.event->id();
  if (!e.event->node.empty()) out << " on " << e.event->node;
  out << " (" << e.type;
  if (e.kind == EventKind::Syscall)
    out << " " << (e.syscall.empty() ? std::to_string(e.facts->syscall) : std::string(e.syscall))
        << " " << e.arch;
  out << ")\n";
  if (e.kind != EventKind::Syscall) {
    out << "  not a syscall event: only the user and exclude lists apply\n";
    return;
  }
  std::vector<ExplainStep> trace;
  Decision d = book.decide_syscall(*e.facts, &trace);
  std::vector<std::string> outcome(book.rules().size());
  for (const ExplainStep& s : trace)
    if (s.rule >= 0 && static_cast<size_t>(s.rule) < outcome.size() &&
        outcome[static_cast<size_t>(s.rule)].empty())
      outcome[static_cast<size_t>(s.rule)] = s.outcome;
  for (size_t i = 0; i < book.rules().size(); ++i) {
    std::string o = outcome[i].empty() ? why_not_tried(book.rules()[i], e, d) : outcome[i];
    out << "  " << i + 1 << "  " << labels[i].origin << "  " << labels[i].text << "\n      -> " << o
        << "\n";
  }
  out << "verdict: " << verdict_name(d.verdict);
  if (d.rule >= 0)
    out << " by rule " << d.rule + 1 << " (" << labels[static_cast<size_t>(d.rule)].origin << ")";
  std::vector<std::string> keys = split_keys(d.key);
  if (!keys.empty()) {
    out << ", key";
    for (const std::string& k : keys) out << " \"" << k << "\"";
  }
  if (!d.reason.empty()) out << "; " << d.reason;
  out << (d.logged ? "; logged" : "; not logged") << "\n";
  if (e.facts->has(Fact::Key))
    out << "recorded key: " << (e.facts->recorded_key.empty() ? "(null)" : e.facts->recorded_key)
        << " (input only)\n";
}

}  // namespace af::sim
