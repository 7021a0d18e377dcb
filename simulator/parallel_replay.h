// Replaying one large log on several threads, for the summary. The file is cut into parts
// at line boundaries (seams); for each seam the grouping state a single reader would be in
// there is worked out from the bytes before it; each part is then read, grouped (from its
// seam's state) and decided on a thread of its own into its own Summary, and the summaries
// are merged in file order. The result is exactly the single-threaded one: a part is kept
// only when the reader of the part before it really ended in the state the part began
// from; otherwise that reader goes on through the part itself.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "simulator/eval/rule_book.h"
#include "simulator/replay.h"
#include "simulator/report/summary.h"

namespace af::sim {

struct ParallelOptions {
  unsigned threads = 2;
  uint64_t min_part_bytes = 16u << 20;  // smaller parts cost more than they save
  FactNeeds extra_needs;
  std::function<void(uint64_t bytes)> progress;  // called now and then from the calling thread
};

struct ParallelStats {
  size_t parts = 0;
  size_t reread = 0;  // parts replayed again after the part before them (see above)
};

/// Whether `logs` can be replayed in parallel: one regular file large enough for two parts,
/// and more than one thread.
bool parallel_worthwhile(const std::vector<std::string>& logs, const ParallelOptions& options);

/// Replays `file` under `book` into `summary` (which must be empty and labelled for `book`).
ReplayResult replay_parallel(const std::string& file, const RuleBook& book, Summary& summary,
                             const ParallelOptions& options, ParallelStats* stats = nullptr);

}  // namespace af::sim
