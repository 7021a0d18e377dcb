// Groups audit.log records into events. All records of one event share (node, timestamp,
// serial), but events interleave in the file and nothing marks their end, so an event is
// closed as auparse closes it: when a record of an "always last" type arrives (PROCTITLE,
// user and daemon messages, ...), when it is older than the timeout compared with the newest
// record read, or at the end of the input. Open events are bounded, so memory is too.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/log/line_source.h"
#include "simulator/log/record.h"

namespace af::sim {

/// One event. Its records view the lines they were read from while those stay valid (a
/// reader's buffer); keep_lines() copies them into the event when the lines would die.
struct Event {
  std::string node;
  uint64_t seconds = 0;
  uint32_t millis = 0;
  uint64_t serial = 0;
  LinePosition first;           // where its first record was read
  std::vector<Record> records;  // in file order

  Event() = default;
  /// A copy views its own bytes, never the original's lines.
  Event(const Event& other);
  Event& operator=(const Event& other);
  Event(Event&&) = default;  // the kept bytes stay where they are: the views remain valid
  Event& operator=(Event&&) = default;

  /// Copies the bytes the records view into the event, and makes them view the copy.
  void keep_lines();

  /// "SEC.MS:SERIAL", the id DESIGN.md's JSONL uses and --explain takes.
  std::string id() const;
  uint64_t time_ms() const { return seconds * 1000 + millis; }

 private:
  std::vector<char> kept_;  // a vector, not a string: moving it never moves its bytes
};

struct MalformedLine {
  LinePosition where;
  std::string excerpt;  // the first bytes of the line
};

struct ReaderStats {
  uint64_t lines = 0;
  uint64_t records = 0;
  uint64_t events = 0;
  uint64_t malformed = 0;
  std::vector<MalformedLine> malformed_first;  // the first few, for the report
  uint64_t closed_by_timeout = 0;
  uint64_t closed_by_limit = 0;  // forced out because too many events were open
};

/// True for record types that always end an event (auparse's audit_is_last_record).
bool ends_event(std::string_view type);

class EventGrouper {
 public:
  static constexpr uint64_t kTimeoutMs = 2000;
  static constexpr size_t kMaxOpen = 4096;
  static constexpr size_t kMalformedKept = 20;

  using Sink = std::function<void(Event&)>;
  explicit EventGrouper(Sink sink) : sink_(std::move(sink)) {}

  /// Feeds one line; complete events go to the sink. False for a malformed line (counted).
  /// The line is not copied: it must stay valid until its event closes or until
  /// keep_open_lines() is called (follow() arranges that for a LineSource's lines).
  bool add_line(std::string_view line, LinePosition where);
  /// Makes the open events copy the lines they view (before those lines are overwritten).
  void keep_open_lines();
  /// Feeds lines of `source` from now on: open events keep their lines whenever the source
  /// is about to refill its buffer. Call keep_open_lines() before the source is destroyed if
  /// events stay open after it.
  void follow(LineSource& source);
  /// Closes every open event (end of input).
  void finish();

  const ReaderStats& stats() const { return stats_; }

  /// Where grouping stands between two lines: the open events and the newest time read. A
  /// grouper resumed from another's state groups what follows exactly as that one would.
  struct State {
    std::deque<Event> open;
    uint64_t newest_ms = 0;
  };
  /// The newest record time read so far (ms).
  uint64_t newest_ms() const { return newest_ms_; }
  State state() const;
  /// Whether this grouper stands at `state` (open events compared by id and records).
  bool is_at(const State& state) const;
  /// Continues from `state` (on a grouper that has read nothing yet).
  void resume(State state);
  /// Forgets the open events without closing them (another grouper carries them on).
  void drop_open() { open_.clear(); }

 private:
  void close(size_t index);
  Event& open_event(const Record& r, LinePosition where);
  bool ends_event_cached(const Record& r);

  Sink sink_;
  // Events are held by pointer: opening and closing one (several a millisecond) then moves
  // a pointer, not the event's strings and vectors.
  std::deque<std::unique_ptr<Event>> open_;    // oldest first
  std::vector<std::unique_ptr<Event>> spare_;  // recycled buffers
  std::vector<std::pair<std::string, bool>> type_cache_;
  StampMemo stamp_;
  uint64_t newest_ms_ = 0;
  ReaderStats stats_;
};

}  // namespace af::sim
