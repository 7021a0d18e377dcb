// auditforge lint FILE...: run the lint checks and print findings as text, JSON or SARIF;
// exit 1 on errors (and on warnings with --strict).
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/sema/loaded_rules.h"
#include "linter/linter.h"

namespace af::cli {
namespace {

constexpr const char* kDefaultConfig = ".auditforge.yml";

struct LintOptions {
  std::vector<std::string> inputs;
  std::string arch;
  std::string config;
  std::string format = "text";
  std::vector<std::string> logs;
  bool fix = false;
  bool list_checks = false;
  bool no_stat = false;
  bool strict = false;
};

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// The config named by --config, else ./.auditforge.yml when present, else the defaults.
std::optional<lint::Config> read_config(const std::string& named) {
  std::string path = named.empty() && exists(kDefaultConfig) ? kDefaultConfig : named;
  if (path.empty()) return lint::Config{};
  std::ifstream in(path);
  if (!in) {
    print_error(fmt::format("cannot read the configuration '{}'", path));
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto config = lint::parse_config(text.str(), error);
  if (!config) print_error(fmt::format("{}: {}", path, error));
  return config;
}

// One line per check: id, family, default severity, summary (registry.def order).
int list_checks() {
  std::string text;
  for (const lint::CheckInfo& c : lint::all_checks())
    text += fmt::format("{:<40} {:<12} {:<8} {}\n", c.id, lint::family_name(c.family),
                        diag::severity_name(c.severity), c.summary);
  auto w = write_stdout(text);
  return static_cast<int>(w ? ExitCode::Ok : ExitCode::Usage);
}

int run_lint(const LintOptions& o) {
  if (o.list_checks) return list_checks();
  if (o.inputs.empty()) {
    print_error("lint needs at least one input (or --list-checks)");
    return static_cast<int>(ExitCode::Usage);
  }
  auto config = read_config(o.config);
  if (!config) return static_cast<int>(ExitCode::Usage);
  Compilation c;
  sema::LowerOptions lower;
  lower.stat_watch_paths = !o.no_stat;
  auto loaded = load_inputs(o.inputs, c, lower, policy_options(o.arch));
  if (!loaded) {
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::vector<ir::Rule> kernel = sema::loaded_rules(c.rules, c.diags);

  lint::LintInput input;
  input.compilation = &c;
  input.kernel_rules = &kernel;
  input.config = std::move(*config);
  std::optional<lint::MeasuredRates> rates;
  if (!o.logs.empty()) {
    std::string error;
    rates = lint::measure_rates(o.logs, kernel, error);
    if (!rates) {
      print_error(error);
      return static_cast<int>(ExitCode::Usage);
    }
    input.rates = &*rates;
  }
  if (!o.no_stat) input.path_exists = exists;
  std::vector<lint::Finding> findings = lint::lint(input);

  std::string text = o.format == "json"    ? lint::render_json(findings, c.sources)
                     : o.format == "sarif" ? lint::render_sarif(findings, c.sources)
                                           : lint::render_text(findings, c.sources);
  if (auto w = write_stdout(text); !w) {
    print_error(w.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  if (o.fix) {
    size_t applied = 0;
    for (const auto& [file, text] : lint::apply_fixes(findings, c.sources, applied)) {
      const std::string& name = c.sources.file(file).name;
      if (name == "-") continue;
      if (auto w = write_file_atomically(name, text); !w) {
        print_error(w.error().message());
        return static_cast<int>(ExitCode::Usage);
      }
    }
    std::fprintf(stderr, "applied %zu fix%s\n", applied, applied == 1 ? "" : "es");
  }
  lint::Counts n = lint::count(findings);
  if (o.format == "text" && !findings.empty()) {
    auto plural = [](size_t k, std::string_view word) {
      return fmt::format("{} {}{}", k, word, k == 1 ? "" : "s");
    };
    std::fprintf(stderr, "%s, %s, %s\n", plural(n.errors, "error").c_str(),
                 plural(n.warnings, "warning").c_str(), plural(n.notes, "note").c_str());
  }
  bool failed = n.errors > 0 || (o.strict && n.warnings > 0);
  return static_cast<int>(failed ? ExitCode::Findings : ExitCode::Ok);
}

}  // namespace

void add_lint(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<LintOptions>();
  sub.footer("Example: auditforge lint --format sarif /etc/audit/rules.d > lint.sarif");
  sub.add_option("--arch", o->arch,
                 "target platforms for policy files, e.g. x86_64,aarch64 (default: the files' "
                 "'target arch', else this host)");
  sub.add_option("--config", o->config,
                 "lint configuration (default: ./.auditforge.yml when it exists)");
  sub.add_flag("--fix", o->fix,
               "apply the mechanical fixes (add auid!=unset, split by arch, merge syscalls) to "
               "the files, leaving every other byte alone");
  sub.add_option("--format", o->format, "findings as text, json or sarif (stdout)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  sub.add_flag("--list-checks", o->list_checks,
               "print the checks (id, family, default severity, summary) and exit");
  // One file per --log, so that the inputs after it stay inputs.
  sub.add_option("--log", o->logs,
                 "recorded audit.log (repeatable): rank rules by measured events per second")
      ->allow_extra_args(false);
  sub.add_flag("--no-stat", o->no_stat,
               "do not stat paths on this host (watches become path= watches; no "
               "portability-watch-path-missing)");
  sub.add_flag("--strict", o->strict, "exit 1 on warnings too");
  sub.add_option("inputs", o->inputs, "rule files, rules.d folders, policy files, or - for stdin");
  sub.callback([o, &exit_code] { exit_code = run_lint(*o); });
}

}  // namespace af::cli
