// auditforge record -o OUT.log [--duration S] [--mark-auid N] [-- COMMAND...]: capture live
// audit records from the kernel's multicast group into the raw audit.log format.
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "kernel/record.h"

namespace af::cli {
namespace {

struct RecordCli {
  kernel::RecordOptions options;
  int64_t mark_auid = -1;
};

int run_record(RecordCli& o) {
  if (o.mark_auid >= 0) {
    if (o.options.command.empty()) {
      print_error("--mark-auid needs a command (after --)");
      return static_cast<int>(ExitCode::Usage);
    }
    o.options.mark_auid = static_cast<uint32_t>(o.mark_auid);
  }
  auto stats = kernel::record(o.options);
  if (!stats) {
    print_error(stats.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  const kernel::RecordStats& s = *stats;
  std::fprintf(
      stderr,
      "recorded %llu records (%llu events) in %.1f s to %s (%llu bytes)\n"
      "lost: kernel lost counter +%llu, serial gaps %llu, socket overruns %llu%s\n",
      static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.events),
      s.seconds, o.options.output.c_str(), static_cast<unsigned long long>(s.bytes),
      static_cast<unsigned long long>(s.lost_kernel),
      static_cast<unsigned long long>(s.serial_gaps),
      static_cast<unsigned long long>(s.socket_overruns),
      s.enabled_changed ? "\nauditing was off: switched on for the recording and off again" : "");
  if (s.lost_kernel || s.socket_overruns)
    std::fprintf(stderr, "warning: events were lost during the recording; the log is incomplete\n");
  if (s.command_status >= 0) std::fprintf(stderr, "command exit status %d\n", s.command_status);
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_record(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<RecordCli>();
  sub.footer(
      "Reads the audit multicast group (read-only: a running auditd keeps its own log) and writes "
      "what auditd's raw format would. Auditing is switched on for the recording if it is off, and "
      "off again afterwards.\n"
      "Examples:\n"
      "  auditforge record -o build.log --mark-auid 4242 -- make -j2\n"
      "  auditforge record -o idle.log --duration 60");
  sub.add_option("-o,--output", o->options.output,
                 "the log to write (atomically, when recording ends)")
      ->required();
  sub.add_option("--duration", o->options.duration_seconds, "stop after this many seconds");
  sub.add_option("--mark-auid", o->mark_auid,
                 "give the command this login uid, so its events can be selected with auid=N");
  sub.add_option("--drain-ms", o->options.drain_ms,
                 "keep reading this long after the command exits")
      ->capture_default_str();
  sub.add_option("command", o->options.command, "the command to record (after --)");
  sub.callback([o, &exit_code] { exit_code = run_record(*o); });
}

}  // namespace af::cli
