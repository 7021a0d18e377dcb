// The replay loop: lines -> records -> events -> the kernel's decision under each rule set.
// One pass, constant memory; consumers (JSONL writer, summary, diff, explain) see every event
// with its decisions through a callback.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "simulator/eval/rule_book.h"
#include "simulator/log/event_grouper.h"
#include "simulator/log/line_source.h"
#include "simulator/model/syscall_facts.h"

namespace af::sim {

enum class EventKind : uint8_t {
  Syscall,      // has a SYSCALL record: exit/task/watch/exclude lists decide
  UserMessage,  // a USER_* message from user space: user and exclude lists decide
  Other,        // other kernel or daemon records: only the exclude list applies
};

struct ReplayedEvent {
  const Event* event = nullptr;
  EventKind kind = EventKind::Other;
  std::string_view type;                // the main record's type (SYSCALL, USER_LOGIN, ...)
  const SyscallFacts* facts = nullptr;  // syscall facts, or the sender of a user message
  std::string_view syscall;             // the syscall's name on its arch ("" when unknown)
  std::string_view arch;                // the arch's name ("x86_64", "i386", ...)
};

struct ReplayOptions {
  bool strict = false;  // stop at the first malformed line
  /// Facts the consumer reads beyond what the rules need (all of them for --explain,
  /// the recorded key for JSONL).
  FactNeeds extra_needs;
  std::function<void(uint64_t bytes, uint64_t events)> progress;  // called now and then
};

struct ReplayResult {
  ReaderStats reader;
  std::string error;  // an unreadable file, or the malformed line under --strict
};

using EventSink = std::function<void(const ReplayedEvent&, const std::vector<Decision>&)>;

/// Decides one complete event under each book and hands it to the sink with its decisions:
/// what replay() does for every event (parallel replay runs one per thread).
class EventDecider {
 public:
  EventDecider(std::vector<RuleBook*> books, const FactNeeds& extra_needs);
  EventDecider(const EventDecider&) = delete;  // needs_for_ points back here
  EventDecider& operator=(const EventDecider&) = delete;
  void decide(Event& event, const EventSink& sink);

 private:
  const FactNeeds& needs_for(uint32_t arch, uint32_t syscall);

  std::vector<RuleBook*> books_;
  FactNeeds extra_needs_, needs_;  // asked for by the caller; for any syscall
  NeedsFor needs_for_;
  std::unordered_map<uint64_t, FactNeeds> needs_by_syscall_;  // with several books or extras
  SyscallFacts facts_;
  std::vector<Decision> decisions_;
  uint32_t arch_ = 0;           // the last arch seen
  std::string_view arch_name_;  // and its name
};

/// Replays everything `source` yields through each book, in order.
ReplayResult replay(LineSource& source, std::vector<RuleBook*> books, const ReplayOptions& options,
                    const EventSink& sink);

/// Orders log file names the way logrotate/auditd number them (audit.log.3, audit.log.2,
/// audit.log.1, audit.log) when several files of one series are given; others keep their order.
std::vector<std::string> order_rotated(std::vector<std::string> files);

}  // namespace af::sim
