// auditforge record -o OUT.log [--duration S] [--mark-auid N] [-- COMMAND...]: capture live
// audit records from the kernel's multicast group into the raw audit.log format.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <variant>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/load_request.h"
#include "cli/output.h"
#include "cli/report.h"
#include "kernel/load.h"
#include "kernel/record.h"

namespace af::cli {
namespace {

struct RecordCli {
  kernel::RecordOptions options;
  int64_t mark_auid = -1;
  std::vector<std::string> rules;
  std::string arch;
};

// The kernel state before --rules were loaded, to put back afterwards.
struct Saved {
  std::unique_ptr<kernel::AuditPort> port;
  kernel::Status status;
  std::vector<kernel::RuleBytes> rules;
  std::vector<kernel::WantedSetting> settings;
};

// Loads the --rules for the recording (as `load` does: only the difference, verified, rolled
// back on failure). Returns the state to restore, or an exit code.
std::variant<Saved, int> load_for_recording(const RecordCli& o) {
  Compilation c;
  auto loaded = load_inputs(o.rules, c, sema::LowerOptions{}, policy_options(o.arch));
  if (!loaded) {
    print_diagnostics(c);
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  kernel::LoadRequest request = load_request(c, /*own=*/false, /*allow_immutable=*/false);
  print_diagnostics(c);
  if (c.diags.has_errors()) return static_cast<int>(ExitCode::Findings);
  auto port = kernel::open_netlink_port();
  if (!port) {
    print_error(port.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  Saved saved;
  auto status = (*port)->status();
  auto rules = status ? (*port)->rules() : tl::unexpected(status.error());
  if (!status || !rules) {
    print_error((status ? rules.error() : status.error()).message());
    return static_cast<int>(ExitCode::Usage);
  }
  kernel::LoadPlan plan = kernel::plan_load(*status, *rules, request);
  if (plan.refusal) {
    print_error(*plan.refusal);
    return static_cast<int>(ExitCode::Usage);
  }
  kernel::LoadResult result = kernel::apply_plan(**port, plan, *rules);
  if (!result.ok()) {
    print_error(fmt::format("cannot load the rules for the recording: {}{}",
                            result.failure->error.message(),
                            result.rollback.verified ? " (the previous rules are back)" : ""));
    return static_cast<int>(ExitCode::Findings);
  }
  saved.port = std::move(*port);
  saved.status = *status;
  saved.rules = std::move(*rules);
  for (const kernel::WantedSetting& s : request.settings)
    saved.settings.push_back({s.setting, kernel::setting_value(*status, s.setting), {}});
  std::fprintf(stderr, "loaded %zu rules for the recording\n", request.rules.size());
  return saved;
}

// Puts back the rules and settings held before the recording.
bool restore(Saved& saved) {
  kernel::LoadRequest back;
  for (const kernel::RuleBytes& r : saved.rules) back.rules.push_back({r, {}});
  back.settings = saved.settings;
  auto status = saved.port->status();
  auto rules = status ? saved.port->rules() : tl::unexpected(status.error());
  if (!status || !rules) {
    print_error("cannot restore the rules held before the recording: " +
                (status ? rules.error() : status.error()).message());
    return false;
  }
  kernel::LoadResult result =
      kernel::apply_plan(*saved.port, kernel::plan_load(*status, *rules, back), *rules);
  if (!result.ok()) {
    print_error("cannot restore the rules held before the recording: " +
                result.failure->error.message());
    return false;
  }
  std::fprintf(stderr, "restored the %zu rules held before the recording\n", saved.rules.size());
  return true;
}

int run_record(RecordCli& o) {
  if (o.mark_auid >= 0) {
    if (o.options.command.empty()) {
      print_error("--mark-auid needs a command (after --)");
      return static_cast<int>(ExitCode::Usage);
    }
    o.options.mark_auid = static_cast<uint32_t>(o.mark_auid);
  }
  std::optional<Saved> saved;
  if (!o.rules.empty()) {
    auto loaded = load_for_recording(o);
    if (std::holds_alternative<int>(loaded)) return std::get<int>(loaded);
    saved = std::move(std::get<Saved>(loaded));
  }
  auto stats = kernel::record(o.options);
  bool restored = !saved || restore(*saved);
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
  return static_cast<int>(restored ? ExitCode::Ok : ExitCode::Usage);
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
      "  auditforge record --rules my.rules -o run.log --mark-auid 4242 -- ./test.sh\n"
      "  auditforge record -o idle.log --duration 60");
  sub.add_option("-o,--output", o->options.output,
                 "the log to write (atomically, when recording ends)")
      ->required();
  sub.add_option("--duration", o->options.duration_seconds, "stop after this many seconds");
  sub.add_option("--mark-auid", o->mark_auid,
                 "give the command this login uid, so its events can be selected with auid=N");
  sub.add_option("--rules", o->rules,
                 "load these rules for the recording (only the difference, verified) and put "
                 "the previous rules and settings back afterwards");
  sub.add_option("--arch", o->arch, "target platforms for policy files given to --rules");
  sub.add_option("--drain-ms", o->options.drain_ms,
                 "keep reading this long after the command exits")
      ->capture_default_str();
  sub.add_option("command", o->options.command, "the command to record (after --)");
  sub.callback([o, &exit_code] { exit_code = run_record(*o); });
}

}  // namespace af::cli
