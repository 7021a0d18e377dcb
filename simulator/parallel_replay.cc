#include "simulator/parallel_replay.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "simulator/log/event_grouper.h"
#include "simulator/log/line_source.h"
#include "simulator/log/record.h"

namespace af::sim {
namespace {

// More parts than threads, so that a slow thread does not hold up the rest (on a VM one core
// can run a third slower than the other for a whole replay: 8 parts on 2 threads measured 12%
// faster than 4); few, because each seam costs a look-back (16 parts were no faster).
constexpr unsigned kPartsPerThread = 4;
constexpr uint64_t kFirstLookBack = 4u << 20;
constexpr uint64_t kMaxLookBack = 64u << 20;
constexpr size_t kSettleLines = 64;  // lines read before a window's start time is taken
// Log time a look-back must cover. An event open at a seam is less than the timeout older than
// the newest record (else a newer record would have timed it out), or arrived after the last
// newer record; either way its first record lies within the timeout (plus a margin for
// records logged late) of the seam's newest time.
constexpr uint64_t kLookBackMs = EventGrouper::kTimeoutMs + 250;

// One part of the file and everything replaying it produced.
struct Part {
  uint64_t begin = 0, end = 0;
  RuleBook* book = nullptr;  // the copy of the thread that replays the part
  std::unique_ptr<Summary> summary;
  std::unique_ptr<EventDecider> decider;
  std::unique_ptr<EventGrouper> grouper;
  EventSink sink;
  std::string error;

  Part(uint64_t b, uint64_t e) : begin(b), end(e) {}

  // Called on the thread that replays the part, with that thread's copy of the rules.
  void prepare(RuleBook& rules, const Summary& labels, const FactNeeds& needs) {
    book = &rules;
    // Each part counts every reason it meets; the merge applies the summary's limit.
    summary = std::make_unique<Summary>(labels.labels(), SIZE_MAX);
    decider = std::make_unique<EventDecider>(std::vector<RuleBook*>{book}, needs);
    sink = [s = summary.get()](const ReplayedEvent& e, const std::vector<Decision>& d) {
      s->add(e, d[0]);
    };
    grouper = std::make_unique<EventGrouper>([this](Event& e) { decider->decide(e, sink); });
  }
};

uint64_t file_size(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

// The first line boundary after `target`: just past the first newline at or after it (size
// when there is none).
uint64_t line_boundary_after(int fd, uint64_t target, uint64_t size) {
  char block[1 << 16];
  for (uint64_t at = target; at < size;) {
    ssize_t n = ::pread(fd, block, sizeof block, static_cast<off_t>(at));
    if (n <= 0) break;
    if (const void* nl = std::memchr(block, '\n', static_cast<size_t>(n)))
      return at + static_cast<uint64_t>(static_cast<const char*>(nl) - block) + 1;
    at += static_cast<uint64_t>(n);
  }
  return size;
}

// The grouping state a single reader is in at `offset` (a line boundary), found by grouping
// the bytes before it: from far enough back that they span more log time than the timeout,
// so that every event still open there began inside them. The stitching checks the state
// against the real reader's, so a wrong guess costs time, never correctness.
EventGrouper::State seam_state(const std::string& file, uint64_t offset, uint64_t first_look_back) {
  for (uint64_t back = first_look_back;; back *= 2) {
    uint64_t from = offset > back ? offset - back : 0;
    LineSource source(file, from, offset);
    std::string_view line;
    LinePosition where;
    if (from > 0 && !source.next(line, where)) return {};  // the window may begin mid-line
    EventGrouper grouper([](Event&) {});
    grouper.follow(source);
    uint64_t first_ms = 0;  // the newest time after a few lines: one straggler does not count
    for (size_t lines = 0; source.next(line, where); ++lines) {
      grouper.add_line(line, where);
      if (lines == kSettleLines) first_ms = grouper.newest_ms();
    }
    if (from == 0 || back >= kMaxLookBack || grouper.newest_ms() >= first_ms + kLookBackMs)
      return grouper.state();
    // Not enough log time behind the seam: look further back.
  }
}

// How many bytes of the log hold kLookBackMs of log time, from a sample of its middle; the
// first look-back tried, so that dense logs are not grouped again and again.
uint64_t first_look_back(const std::string& file, uint64_t size) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return kFirstLookBack;
  std::string sample(std::min<uint64_t>(kFirstLookBack, size), '\0');
  ssize_t n =
      ::pread(fd, sample.data(), sample.size(), static_cast<off_t>(size / 2 - sample.size() / 2));
  ::close(fd);
  if (n <= 0) return kFirstLookBack;
  std::string_view text(sample.data(), static_cast<size_t>(n));
  uint64_t first_ms = 0, last_ms = 0, lines = 0, first_at = 0, last_at = 0;
  for (size_t start = text.find('\n') + 1, stop; start > 0 && start < text.size();
       start = stop + 1) {
    stop = text.find('\n', start);
    if (stop == std::string_view::npos) break;
    Record r;
    if (!parse_record(text.substr(start, stop - start), r)) continue;
    uint64_t ms = r.seconds * 1000 + r.millis;
    if (++lines == kSettleLines) {
      first_ms = ms;
      first_at = start;
    }
    if (lines > kSettleLines && ms > last_ms) {
      last_ms = ms;
      last_at = stop;
    }
  }
  if (last_ms <= first_ms) return kMaxLookBack;  // no time passes in the sample
  // Density varies along a log (bursts, pauses): with a margin of a quarter, 3 of the 7 seams
  // of the benchmark's log fell short and were grouped again from twice as far back.
  uint64_t bytes = (last_at - first_at) * kLookBackMs / (last_ms - first_ms) * 2;
  return std::clamp<uint64_t>(bytes, 1u << 20, kMaxLookBack);
}

// Feeds bytes [begin, end) of `file` to `grouper`, numbering lines after `line_base`.
std::string feed(const std::string& file, uint64_t begin, uint64_t end, EventGrouper& grouper,
                 uint64_t line_base, std::atomic<uint64_t>* bytes) {
  LineSource source(file, begin, end);
  std::string_view line;
  LinePosition where;
  uint64_t reported = 0, lines = 0;
  grouper.follow(source);
  while (source.next(line, where)) {
    where.line += line_base;
    grouper.add_line(line, where);
    if (bytes && (++lines & 0xffff) == 0) {
      *bytes += source.bytes_read() - reported;
      reported = source.bytes_read();
    }
  }
  if (bytes) *bytes += source.bytes_read() - reported;
  grouper.keep_open_lines();  // events still open carry on past this source's lifetime
  return source.error();
}

void add_stats(ReaderStats& total, const ReaderStats& part, uint64_t line_offset) {
  total.lines += part.lines;
  total.records += part.records;
  total.events += part.events;
  total.malformed += part.malformed;
  total.closed_by_timeout += part.closed_by_timeout;
  total.closed_by_limit += part.closed_by_limit;
  for (MalformedLine m : part.malformed_first) {
    if (total.malformed_first.size() >= EventGrouper::kMalformedKept) break;
    m.where.line += line_offset;
    total.malformed_first.push_back(std::move(m));
  }
}

// Runs job(i, t) for i in [0, n) on up to `threads` threads, in order of i; t < threads
// tells which thread runs it.
template <typename Job>
void run_on_threads(size_t n, unsigned threads, const Job& job,
                    const std::function<void()>& while_waiting = {}) {
  std::atomic<size_t> next{0};
  std::atomic<unsigned> running{0};
  std::vector<std::thread> pool;
  unsigned count = static_cast<unsigned>(std::min<size_t>(threads, n));
  running = count;
  for (unsigned t = 0; t < count; ++t)
    pool.emplace_back([&, t] {
      for (size_t i; (i = next++) < n;) job(i, t);
      --running;
    });
  if (while_waiting)
    while (running > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      while_waiting();
    }
  for (std::thread& t : pool) t.join();
}

}  // namespace

bool parallel_worthwhile(const std::vector<std::string>& logs, const ParallelOptions& options) {
  if (options.threads < 2 || logs.size() != 1 || logs[0] == "-") return false;
  return file_size(logs[0]) >= 2 * options.min_part_bytes;
}

ReplayResult replay_parallel(const std::string& file, const RuleBook& book, Summary& summary,
                             const ParallelOptions& options, ParallelStats* stats) {
  ReplayResult result;
  uint64_t size = file_size(file);
  size_t wanted = static_cast<size_t>(
      std::clamp<uint64_t>(size / std::max<uint64_t>(options.min_part_bytes, 1), 1,
                           static_cast<uint64_t>(options.threads) * kPartsPerThread));

  // 1. Seams: the line boundaries after evenly spaced offsets.
  std::vector<uint64_t> seams;
  if (int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    for (size_t i = 1; i < wanted; ++i) {
      uint64_t offset = line_boundary_after(fd, size / wanted * i, size);
      if (offset < size && offset > (seams.empty() ? 0 : seams.back())) seams.push_back(offset);
    }
    ::close(fd);
  }

  // 2. Parts, each grouped on a thread from the state a single reader would be in at its
  //    seam, which the thread works out first: no part waits for another.
  uint64_t look_back = first_look_back(file, size);
  std::vector<std::unique_ptr<Part>> parts;
  for (size_t k = 0; k <= seams.size(); ++k) {
    uint64_t begin = k == 0 ? 0 : seams[k - 1];
    uint64_t end = k == seams.size() ? size : seams[k];
    parts.push_back(std::make_unique<Part>(begin, end));
  }
  std::vector<EventGrouper::State> seam_states(seams.size());
  // One copy of the rules per thread (a RuleBook caches as it decides), made on that thread:
  // copying 5,000 rules takes a while, and a copy per part took 118 MB at 5,000 rules.
  std::vector<std::unique_ptr<RuleBook>> books(options.threads);
  std::atomic<uint64_t> bytes{0};
  run_on_threads(
      parts.size(), options.threads,
      [&](size_t k, unsigned thread) {
        Part& p = *parts[k];
        if (!books[thread]) books[thread] = std::make_unique<RuleBook>(book);
        p.prepare(*books[thread], summary, options.extra_needs);
        if (k > 0) {
          seam_states[k - 1] = seam_state(file, p.begin, look_back);
          p.grouper->resume(seam_states[k - 1]);
        }
        p.error = feed(file, p.begin, p.end, *p.grouper, 0, &bytes);
      },
      options.progress ? std::function<void()>([&] { options.progress(bytes); })
                       : std::function<void()>());

  // 3. Stitching, in order. A part stands when the reader before it ended exactly in the
  //    state the part began from; the events open there are then the part's to close.
  //    Otherwise the reader before it reads the part again itself.
  std::vector<Part*> owners{parts[0].get()};
  size_t reread = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (!parts[k]->error.empty() && result.error.empty()) result.error = parts[k]->error;
    if (k == 0) continue;
    Part& owner = *owners.back();
    if (owner.grouper->is_at(seam_states[k - 1])) {
      owner.grouper->drop_open();
      owners.push_back(parts[k].get());
      continue;
    }
    ++reread;
    Part& p = *parts[k];
    std::string error =
        feed(file, p.begin, p.end, *owner.grouper, owner.grouper->stats().lines, nullptr);
    if (!error.empty() && result.error.empty()) result.error = error;
  }
  uint64_t line_offset = 0;
  for (Part* owner : owners) {
    owner->grouper->finish();
    summary.merge(*owner->summary);
    add_stats(result.reader, owner->grouper->stats(), line_offset);
    line_offset += owner->grouper->stats().lines;
  }
  if (stats) *stats = {parts.size(), reread};
  return result;
}

}  // namespace af::sim
