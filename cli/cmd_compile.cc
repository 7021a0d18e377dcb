// auditforge compile FILE... --target T [-o OUT]: compile rules for one consumer.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/emit/emit.h"
#include "compiler/sema/loaded_rules.h"

namespace af::cli {
namespace {

struct CompileOptions {
  std::vector<std::string> inputs;
  std::string rules_d;
  std::string arch;
  std::string target;
  std::string output;
  bool no_stat = false;
};

// --rules-d DIR: the audit.rules target as numbered fragments in a new or empty folder (an
// old fragment left beside new ones would change the order augenrules loads).
int write_rules_d(const CompileOptions& o, Compilation& c, const std::vector<ir::Rule>& rules) {
  std::optional<std::vector<emit::Fragment>> fragments;
  if (!c.diags.has_errors())
    fragments = emit::emit_rules_d({c.rules, rules, c.sources}, emit::EmitOptions{}, c.diags);
  print_diagnostics(c);
  if (!fragments || c.diags.has_errors()) return static_cast<int>(ExitCode::Findings);
  std::error_code ec;
  std::filesystem::create_directories(o.rules_d, ec);
  for (const auto& e : std::filesystem::directory_iterator(o.rules_d, ec)) {
    if (e.path().extension() == ".rules") {
      print_error(
          fmt::format("'{}' already holds rules files; give a new or empty folder", o.rules_d));
      return static_cast<int>(ExitCode::Usage);
    }
  }
  if (ec) {
    print_error(fmt::format("cannot use folder '{}': {}", o.rules_d, ec.message()));
    return static_cast<int>(ExitCode::Usage);
  }
  for (const emit::Fragment& f : *fragments) {
    auto written = write_file_atomically(o.rules_d + "/" + f.name, f.content);
    if (!written) {
      print_error(written.error().message());
      return static_cast<int>(ExitCode::Usage);
    }
  }
  return static_cast<int>(ExitCode::Ok);
}

int run_compile(const CompileOptions& o) {
  if (!o.rules_d.empty() && o.target != "audit.rules") {
    print_error("--rules-d goes with --target audit.rules");
    return static_cast<int>(ExitCode::Usage);
  }
  const emit::Target* target = emit::find_target(o.target);
  if (!target) {
    print_error(fmt::format("unknown target '{}'", o.target));
    return static_cast<int>(ExitCode::Usage);
  }
  if (target->binary && o.output.empty() && ::isatty(STDOUT_FILENO)) {
    print_error("the binary target writes bytes; give -o FILE or redirect stdout");
    return static_cast<int>(ExitCode::Usage);
  }
  Compilation c;
  sema::LowerOptions lower;
  lower.stat_watch_paths = !o.no_stat;
  auto loaded = load_inputs(o.inputs, c, lower, policy_options(o.arch));
  if (!loaded) {
    print_diagnostics(c);
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::vector<ir::Rule> rules = sema::loaded_rules(c.rules, c.diags);
  if (!o.rules_d.empty()) return write_rules_d(o, c, rules);
  std::optional<std::string> out;
  if (!c.diags.has_errors()) {
    emit::EmitInput in{c.rules, rules, c.sources};
    out = target->emit(in, emit::EmitOptions{}, c.diags);
  }
  print_diagnostics(c);
  if (!out || c.diags.has_errors()) return static_cast<int>(ExitCode::Findings);
  auto written = o.output.empty() || o.output == "-" ? write_stdout(*out)
                                                     : write_file_atomically(o.output, *out);
  if (!written) {
    print_error(written.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_compile_options(CLI::App& sub, int& exit_code,
                         const std::shared_ptr<std::string>& fixed_target) {
  auto o = std::make_shared<CompileOptions>();
  if (fixed_target) o->target = *fixed_target;
  if (!fixed_target) {
    std::string names;
    for (const emit::Target& t : emit::targets())
      names += fmt::format("\n  {:<12} {}", t.name, t.summary);
    sub.footer("Targets:" + names +
               "\nExample: auditforge compile /etc/audit/rules.d --target audit.rules -o "
               "out.rules");
  }
  sub.add_option("--arch", o->arch,
                 "target platforms for policy files, e.g. x86_64,aarch64 (default: the files' "
                 "'target arch', else this host)");
  sub.add_flag("--no-stat", o->no_stat,
               "do not stat watch paths on this host (every -w becomes a path= watch)");
  sub.add_option("-o,--output", o->output, "write here (atomically) instead of stdout");
  if (!fixed_target)
    sub.add_option("--rules-d", o->rules_d,
                   "audit.rules target: write numbered fragments into this new or empty folder "
                   "(for /etc/audit/rules.d)");
  if (!fixed_target) {
    std::vector<std::string> target_names;
    for (const emit::Target& t : emit::targets()) target_names.emplace_back(t.name);
    sub.add_option("--target", o->target, "what to produce")
        ->required()
        ->check(CLI::IsMember(target_names));
  }
  sub.add_option("inputs", o->inputs, "rule files, rules.d folders, or - for stdin")->required();
  sub.callback([o, &exit_code] { exit_code = run_compile(*o); });
}

void add_compile(CLI::App& sub, int& exit_code) { add_compile_options(sub, exit_code, nullptr); }

}  // namespace af::cli
