// --log: replays recordings through the kernel rules with the simulator and keeps, per rule,
// how many events it decided and its peak per second (simulator/report/summary.h).
#include "linter/linter.h"
#include "simulator/replay.h"
#include "simulator/report/summary.h"

namespace af::lint {

std::optional<MeasuredRates> measure_rates(const std::vector<std::string>& logs,
                                           const std::vector<ir::Rule>& rules, std::string& error) {
  sim::RuleBook book(rules);
  sim::Summary summary(std::vector<sim::RuleLabel>(rules.size()));
  std::vector<std::string> files = sim::order_rotated(logs);
  sim::LineSource source(files);
  sim::ReplayResult result = sim::replay(
      source, {&book}, {}, [&](const sim::ReplayedEvent& e, const std::vector<sim::Decision>& d) {
        summary.add(e, d[0]);
      });
  if (!result.error.empty()) {
    error = result.error;
    return std::nullopt;
  }
  MeasuredRates rates;
  for (const sim::RuleStats& s : summary.rules())
    rates.rules.push_back({s.hits, s.peak_per_second});
  // A recording shorter than a second counts as one second.
  if (summary.last_ms() >= summary.first_ms())
    rates.seconds =
        std::max(1.0, static_cast<double>(summary.last_ms() - summary.first_ms()) / 1e3);
  return rates;
}

}  // namespace af::lint
