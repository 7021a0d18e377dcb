// auditforge status [--format text|json]: the kernel's audit status, as `auditctl -s`.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "kernel/kernel.h"

namespace af::cli {
namespace {

int run_status(const std::string& format) {
  auto st = kernel::read_status();
  if (!st) {
    print_error(st.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::string out;
  if (format == "json") {
    nlohmann::json j = {{"enabled", st->enabled},
                        {"failure", st->failure},
                        {"pid", st->pid},
                        {"rate_limit", st->rate_limit},
                        {"backlog_limit", st->backlog_limit},
                        {"lost", st->lost},
                        {"backlog", st->backlog},
                        {"backlog_wait_time", st->backlog_wait_time},
                        {"backlog_wait_time_actual", st->backlog_wait_time_actual},
                        {"feature_bitmap", st->feature_bitmap}};
    if (st->have_loginuid_feature) {
      j["loginuid_immutable"] = st->loginuid_immutable;
      j["loginuid_immutable_locked"] = st->loginuid_locked;
    }
    out = j.dump(2) + "\n";
  } else {
    out = fmt::format(
        "enabled {}\nfailure {}\npid {}\nrate_limit {}\nbacklog_limit {}\nlost {}\nbacklog {}\n"
        "backlog_wait_time {}\nbacklog_wait_time_actual {}\n",
        st->enabled, st->failure, st->pid, st->rate_limit, st->backlog_limit, st->lost, st->backlog,
        st->backlog_wait_time, st->backlog_wait_time_actual);
    if (st->have_loginuid_feature)
      out += fmt::format("loginuid_immutable {} {}\n", st->loginuid_immutable ? 1 : 0,
                         st->loginuid_locked ? "locked" : "unlocked");
  }
  if (auto w = write_stdout(out); !w) {
    print_error(w.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_status(CLI::App& sub, int& exit_code) {
  auto format = std::make_shared<std::string>("text");
  sub.footer("Example: auditforge status --format json");
  sub.add_option("--format", *format, "text (as auditctl -s prints it) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub.callback([format, &exit_code] { exit_code = run_status(*format); });
}

}  // namespace af::cli
