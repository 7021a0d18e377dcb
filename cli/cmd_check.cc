// auditforge check FILE...: parse and validate classic rules; exit 1 on errors.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/diag/render.h"
#include "compiler/sema/loaded_rules.h"

namespace af::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> inputs;
  std::string arch;
  std::string format = "text";
  bool no_stat = false;
};

int run_check(const CheckOptions& o) {
  Compilation c;
  sema::LowerOptions lower;
  lower.stat_watch_paths = !o.no_stat;
  auto loaded = load_inputs(o.inputs, c, lower, policy_options(o.arch));
  if (loaded) sema::loaded_rules(c.rules, c.diags);
  if (o.format == "json") {
    auto w = write_stdout(diag::render_json(c.diags.diagnostics(), c.sources));
    if (!w) print_error(w.error().message());
  } else {
    print_diagnostics(c);
  }
  if (!loaded) {
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return static_cast<int>(c.diags.has_errors() ? ExitCode::Findings : ExitCode::Ok);
}

}  // namespace

void add_check(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<CheckOptions>();
  sub.footer("Example: auditforge check /etc/audit/rules.d");
  sub.add_option("--format", o->format, "diagnostics as text (stderr) or json (stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  sub.add_option("--arch", o->arch,
                 "target platforms for policy files, e.g. x86_64,aarch64 (default: the files' "
                 "'target arch', else this host)");
  sub.add_flag("--no-stat", o->no_stat,
               "do not stat watch paths on this host (every -w becomes a path= watch)");
  sub.add_option("inputs", o->inputs, "rule files, rules.d folders, or - for stdin")->required();
  sub.callback([o, &exit_code] { exit_code = run_check(*o); });
}

}  // namespace af::cli
