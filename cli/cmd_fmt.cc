// auditforge fmt FILE... [--check] [--write] [--listing]: the canonical form of classic rules.
#include <fmt/format.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/emit/rule_text.h"
#include "compiler/frontend/input_lines.h"
#include "compiler/sema/loaded_rules.h"

namespace af::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> inputs;
  bool check = false;
  bool write = false;
  bool listing = false;
  bool no_stat = false;
};

// Source order: each statement on its own canonical line, comments and blank lines kept.
std::string format_source(const ir::RuleSet& set) {
  std::string out;
  for (const ir::Statement& s : set.statements) {
    if (const auto* r = std::get_if<ir::Rule>(&s)) {
      out += emit::rule_text(*r);
    } else if (const auto* c = std::get_if<ir::Control>(&s)) {
      out += emit::control_text(*c);
    } else {
      out += std::get<ir::Comment>(s).text;
    }
    out += '\n';
  }
  return out;
}

// What `auditctl -l` prints after loading the input into an empty kernel.
std::string format_listing(const ir::RuleSet& set, diag::DiagnosticSink& diags) {
  std::string out;
  emit::ListingState state;
  for (const ir::Rule& r : sema::loaded_rules(set, diags)) {
    emit::RuleData data;
    emit::decode_rule(emit::encode_rule(r), data);
    out += emit::listing_text(data, state) + '\n';
  }
  if (out.empty()) out = "No rules\n";
  return out;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int format_one(const std::string& input, const FmtOptions& o, std::string& to_stdout) {
  Compilation c;
  sema::LowerOptions lower;
  lower.stat_watch_paths = !o.no_stat;
  auto loaded = load_inputs({input}, c, lower, {});
  if (!loaded) {
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::string formatted = o.listing ? format_listing(c.rules, c.diags) : format_source(c.rules);
  print_diagnostics(c);
  if (c.diags.has_errors()) return static_cast<int>(ExitCode::Findings);
  if (!o.check && !o.write) {
    to_stdout += formatted;
    return 0;
  }
  const std::string& original = c.sources.file(1).bytes;
  if (original == formatted) return 0;
  if (o.check) {
    to_stdout += input + "\n";
    return static_cast<int>(ExitCode::Findings);
  }
  if (input == "-") {
    to_stdout += formatted;
    return 0;
  }
  auto written = write_file_atomically(input, formatted);
  if (!written) {
    print_error(written.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return 0;
}

int run_fmt(const FmtOptions& o) {
  if (o.listing && (o.check || o.write)) {
    print_error(
        "--listing prints the kernel's view and cannot be combined with --check or --write");
    return static_cast<int>(ExitCode::Usage);
  }
  // --check and --write work file by file; a folder stands for its *.rules files.
  std::vector<std::string> inputs;
  diag::SourceSet scratch;
  for (const std::string& in : o.inputs) {
    if ((o.check || o.write) && is_directory(in)) {
      std::string dir = in.ends_with('/') ? in : in + "/";
      diag::DiagnosticSink ignore;
      auto lines = frontend::load_rule_lines(in, scratch, ignore);
      if (!lines) {
        print_error(lines.error().message());
        return static_cast<int>(ExitCode::Usage);
      }
      for (uint32_t id = 1; id <= scratch.size(); ++id)
        if (scratch.file(id).name.starts_with(dir)) inputs.push_back(scratch.file(id).name);
    } else {
      inputs.push_back(in);
    }
  }
  int worst = 0;
  std::string out;
  for (const std::string& in : inputs) worst = std::max(worst, format_one(in, o, out));
  if (auto w = write_stdout(out); !w) {
    print_error(w.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return worst;
}

}  // namespace

void add_fmt(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<FmtOptions>();
  sub.footer("Example: auditforge fmt --check /etc/audit/rules.d");
  sub.add_flag("--check", o->check, "list files that are not in canonical form; exit 1 if any");
  sub.add_flag("--listing", o->listing,
               "print the rules as 'auditctl -l' lists them after loading the input");
  sub.add_flag("--no-stat", o->no_stat,
               "do not stat watch paths on this host (every -w becomes a path= watch)");
  sub.add_flag("--write", o->write, "rewrite the files in place (atomically)");
  sub.add_option("inputs", o->inputs, "rule files, rules.d folders, or - for stdin")->required();
  sub.callback([o, &exit_code] { exit_code = run_fmt(*o); });
}

}  // namespace af::cli
