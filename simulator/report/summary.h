// Per-rule statistics of a replay: hits, share, rate, first and last seen, peak per second,
// a per-minute timeline (for the HTML chart), rules that never fired, verdict counts and
// undetermined reasons. Fed one event at a time; memory grows with rules and minutes only.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "simulator/replay.h"

namespace af::sim {

/// How to name a rule in reports: its position, origin ("file:line") and canonical text.
struct RuleLabel {
  std::string origin;
  std::string text;
};

struct RuleStats {
  uint64_t hits = 0;  // events this rule decided (fired or suppressed)
  uint64_t first_ms = 0, last_ms = 0;
  uint64_t second = 0, in_second = 0, peak_per_second = 0;
  // The run of hits in the first second seen, while all hits so far fall in one run: what a
  // later part of the log needs to join runs across the seam (Summary::merge).
  uint64_t head_second = 0, head_run = 0;
  bool one_run = true;
  std::map<uint64_t, uint64_t> per_minute;  // minute since the epoch -> hits
  std::map<uint64_t, uint64_t> per_second;  // kept while the recording spans an hour or less
};

struct VerdictCounts {
  uint64_t fired = 0, suppressed = 0, unmatched = 0, undetermined = 0, logged = 0;
  uint64_t total() const { return fired + suppressed + unmatched + undetermined; }
  void add(const Decision& d);
  void add(const VerdictCounts& later);
};

class Summary {
 public:
  static constexpr size_t kMaxReasons = 100;
  /// `max_reasons`: distinct undetermined reasons counted one by one (the rest as "other").
  explicit Summary(std::vector<RuleLabel> labels, size_t max_reasons = kMaxReasons);
  Summary(const Summary&) = delete;  // it points into its own maps
  Summary& operator=(const Summary&) = delete;

  void add(const ReplayedEvent& event, const Decision& decision);
  /// Appends the summary of the part of the log that follows this one: the result is what
  /// one summary fed every event of both parts in order would hold.
  void merge(const Summary& later);
  /// The log files, to name malformed lines.
  void set_files(std::vector<std::string> files) { files_ = std::move(files); }

  nlohmann::json to_json(const ReaderStats& reader) const;
  void write_text(std::ostream& out, const ReaderStats& reader) const;

  const std::vector<RuleLabel>& labels() const { return labels_; }
  const std::vector<RuleStats>& rules() const { return rules_; }
  const VerdictCounts& syscalls() const { return syscall_; }
  uint64_t first_ms() const { return first_ms_; }
  /// Whether RuleStats::per_second is kept (the recording spans at most kFineSpanMs).
  bool per_second_timeline() const { return fine_; }
  static constexpr uint64_t kFineSpanMs = 3600 * 1000;
  uint64_t last_ms() const { return last_ms_; }

 private:
  std::vector<RuleLabel> labels_;
  std::vector<std::string> files_;
  std::vector<RuleStats> rules_;
  // Per rule, the per_minute/per_second entries of its last hit (std::map nodes do not move).
  struct TimelineSlots {
    uint64_t minute = 0, second = 0;
    uint64_t *minute_count = nullptr, *second_count = nullptr;
  };
  std::vector<TimelineSlots> timeline_slots_;
  VerdictCounts syscall_, user_, other_;
  std::map<std::string, uint64_t> undetermined_reasons_;
  std::vector<std::string> reason_order_;  // the reasons in the order they first appeared
  size_t max_reasons_;
  uint64_t other_reasons_ = 0;
  // The last reason counted and its counter: undetermined events come in runs with the same
  // reason, which then needs no reason_category.
  std::string last_reason_;
  uint64_t* last_reason_count_ = nullptr;
  uint64_t first_ms_ = UINT64_MAX, last_ms_ = 0;
  // first_ms_ and last_ms_ as they were at the latest rule hit, when the per-second timeline
  // is kept or dropped.
  uint64_t hit_first_ms_ = UINT64_MAX, hit_last_ms_ = 0;
  bool fine_ = true;
};

/// An undetermined reason without the event's own names and values, so that the summary
/// counts "rule 5: dir=/etc: the PATH name \"...\" is relative to ..." once.
std::string reason_category(std::string_view reason);

/// "2024-01-31 12:00:00.123" (UTC).
std::string format_time_ms(uint64_t ms);

}  // namespace af::sim
