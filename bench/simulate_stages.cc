// Benchmark: how long each stage of the simulator's reader takes over one log on one
// thread, before any rule is evaluated: reading and splitting lines, then parsing record
// headers, then grouping records into events. It shows the floor under `simulate`'s time
// (bench/simulate_scale.py times the whole replay) and where a faster reader must gain.
//
// usage: af_bench_simulate_stages LOG [REPS]
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "simulator/log/event_grouper.h"
#include "simulator/log/line_source.h"
#include "simulator/log/record.h"

namespace {

using af::sim::Event;
using af::sim::EventGrouper;
using af::sim::LinePosition;
using af::sim::LineSource;
using af::sim::Record;

enum class Stage { Split, Parse, Group };

// Runs one stage over the whole log; returns seconds and a checksum the work depends on,
// so that nothing is optimised away.
std::pair<double, uint64_t> run(const std::string& log, Stage stage) {
  auto start = std::chrono::steady_clock::now();
  uint64_t check = 0;
  LineSource source({log});
  EventGrouper grouper([&](Event& e) { check += e.records.size(); });
  grouper.follow(source);
  af::sim::StampMemo memo;
  std::string_view line;
  LinePosition where;
  while (source.next(line, where)) {
    switch (stage) {
      case Stage::Split:
        check += line.size();
        break;
      case Stage::Parse: {
        Record r;
        if (af::sim::parse_record(line, r, &memo)) check += r.serial;
        break;
      }
      case Stage::Group:
        grouper.add_line(line, where);
        break;
    }
  }
  grouper.finish();
  if (!source.error().empty()) {
    std::fprintf(stderr, "%s\n", source.error().c_str());
    std::exit(1);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {seconds, check};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s LOG [REPS]\n", argv[0]);
    return 2;
  }
  const std::string log = argv[1];
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  struct stat st {};
  if (::stat(log.c_str(), &st) != 0) {
    std::perror(log.c_str());
    return 1;
  }
  const double mb = static_cast<double>(st.st_size) / 1e6;
  const std::pair<Stage, const char*> stages[] = {{Stage::Split, "read + split lines"},
                                                  {Stage::Parse, "+ parse record headers"},
                                                  {Stage::Group, "+ group into events"}};
  std::printf("log: %s, %.0f MB, one thread, best of %d\n", log.c_str(), mb, reps);
  std::printf("%-26s %8s %8s\n", "stage", "time s", "MB/s");
  for (const auto& [stage, name] : stages) {
    double best = 0;
    for (int i = 0; i < reps; ++i) {
      double t = run(log, stage).first;
      if (i == 0 || t < best) best = t;
    }
    std::printf("%-26s %8.3f %8.0f\n", name, best, mb / best);
  }
  return 0;
}
