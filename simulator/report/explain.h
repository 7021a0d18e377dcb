// --explain EVENT: every rule in kernel order with what became of it for one event: the first
// condition that failed, "matched", or why the kernel never tried it.
#pragma once

#include <ostream>
#include <vector>

#include "simulator/replay.h"
#include "simulator/report/summary.h"

namespace af::sim {

void write_explain(std::ostream& out, const ReplayedEvent& event, RuleBook& book,
                   const std::vector<RuleLabel>& labels);

}  // namespace af::sim
