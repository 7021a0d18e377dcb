// auditforge simulate RULES... --log FILE...: replay recorded audit.log traffic through rule
// sets as the kernel would evaluate them (summary, JSONL per event, diff, explain, HTML).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/emit/rule_text.h"
#include "compiler/sema/loaded_rules.h"
#include "simulator/parallel_replay.h"
#include "simulator/replay.h"
#include "simulator/report/diff.h"
#include "simulator/report/event_json.h"
#include "simulator/report/explain.h"
#include "simulator/report/html.h"
#include "simulator/report/summary.h"

namespace af::cli {
namespace {

struct SimulateOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> logs;
  std::vector<std::string> diff;
  std::string format = "text";
  std::string explain;
  std::string html;
  std::string arch;
  bool summary = false;
  bool strict = false;
  bool no_stat = false;
  bool no_progress = false;
  unsigned threads = 0;  // 0: one per core
};

// A rule set compiled and indexed for replay, with the labels reports use.
struct LoadedSet {
  Compilation compilation;
  std::unique_ptr<sim::RuleBook> book;
  std::vector<sim::RuleLabel> labels;
};

std::optional<int> load_set(const SimulateOptions& o, const std::vector<std::string>& inputs,
                            LoadedSet& out) {
  sema::LowerOptions lower;
  lower.stat_watch_paths = !o.no_stat;
  auto loaded = load_inputs(inputs, out.compilation, lower, policy_options(o.arch));
  if (!loaded) {
    print_diagnostics(out.compilation);
    print_error(loaded.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::vector<ir::Rule> rules = sema::loaded_rules(out.compilation.rules, out.compilation.diags);
  print_diagnostics(out.compilation);
  if (out.compilation.diags.has_errors()) return static_cast<int>(ExitCode::Findings);
  for (const ir::Rule& r : rules) {
    std::string origin;
    if (r.origin.range.valid())
      origin = fmt::format("{}:{}", out.compilation.sources.file(r.origin.range.file).name,
                           r.origin.range.line);
    out.labels.push_back({origin, emit::rule_text(r)});
  }
  out.book = std::make_unique<sim::RuleBook>(std::move(rules));
  return std::nullopt;
}

// Buffered stdout for JSONL: one write per megabyte.
class Output {
 public:
  ~Output() { flush(); }
  void line(const nlohmann::json& j) {
    buffer_ += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    buffer_ += '\n';
    if (buffer_.size() > (1u << 20)) flush();
  }
  bool flush() {
    if (buffer_.empty()) return ok_;
    if (ok_ && !write_stdout(buffer_)) ok_ = false;
    buffer_.clear();
    return ok_;
  }
  bool ok() const { return ok_; }

 private:
  std::string buffer_;
  bool ok_ = true;
};

int run_simulate(const SimulateOptions& o) {
  if (o.format == "jsonl" && !o.explain.empty()) {
    print_error("--explain prints text; leave out --format jsonl");
    return static_cast<int>(ExitCode::Usage);
  }
  LoadedSet a, b;
  if (auto rc = load_set(o, o.inputs, a)) return *rc;
  bool diffing = !o.diff.empty();
  if (diffing)
    if (auto rc = load_set(o, o.diff, b)) return *rc;

  std::vector<std::string> logs = sim::order_rotated(o.logs);
  sim::LineSource source(logs);
  sim::Summary summary(a.labels);
  summary.set_files(logs);
  sim::DiffReport diff(a.labels, diffing ? b.labels : std::vector<sim::RuleLabel>{});
  Output out;
  bool explained = false;
  std::ostringstream explain_text;

  std::vector<sim::RuleBook*> books{a.book.get()};
  if (diffing) books.push_back(b.book.get());
  sim::ReplayOptions options;
  options.strict = o.strict;
  if (!o.explain.empty()) options.extra_needs = sim::FactNeeds::all();
  if (o.format == "jsonl") options.extra_needs.syscall.set(static_cast<size_t>(sim::Fact::Key));
  if (!o.no_progress && ::isatty(STDERR_FILENO)) {
    options.progress = [](uint64_t bytes, uint64_t) {
      std::fprintf(stderr, "\rsimulate: %.1f MB read", static_cast<double>(bytes) / 1e6);
    };
  }
  // The summary alone (text, json, html) of one large file: in parallel, with the same result.
  sim::ParallelOptions parallel;
  parallel.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  parallel.extra_needs = options.extra_needs;
  if (options.progress) parallel.progress = [&](uint64_t bytes) { options.progress(bytes, 0); };
  const bool summary_only = !diffing && o.explain.empty() && o.format != "jsonl" && !o.strict;
  sim::ReplayResult result =
      summary_only && sim::parallel_worthwhile(logs, parallel)
          ? sim::replay_parallel(logs[0], *a.book, summary, parallel)
          : sim::replay(source, books, options,
                        [&](const sim::ReplayedEvent& e, const std::vector<sim::Decision>& d) {
                          summary.add(e, d[0]);
                          if (diffing) {
                            bool changed = diff.add(e, d[0], d[1]);
                            if (changed && o.format == "jsonl") {
                              nlohmann::json j = sim::event_json(e, d[0], a.labels);
                              j["new"] = sim::decision_json(d[1], b.labels);
                              out.line(j);
                            }
                          } else if (o.format == "jsonl") {
                            out.line(sim::event_json(e, d[0], a.labels));
                          }
                          if (!o.explain.empty() && e.event->id() == o.explain) {
                            sim::write_explain(explain_text, e, *a.book, a.labels);
                            explained = true;
                          }
                        });
  if (options.progress) std::fprintf(stderr, "\r%40s\r", "");
  if (!result.error.empty()) {
    out.flush();
    print_error(result.error);
    return static_cast<int>(result.error.find("--strict") != std::string::npos ? ExitCode::Findings
                                                                               : ExitCode::Usage);
  }
  if (!o.html.empty()) {
    auto written = write_file_atomically(o.html, sim::render_html(summary, result.reader));
    if (!written) {
      print_error(written.error().message());
      return static_cast<int>(ExitCode::Usage);
    }
  }
  std::string text;
  if (!o.explain.empty()) {
    if (!explained) {
      print_error(
          fmt::format("event {} is not in the log (give it as SECONDS.MILLIS:SERIAL)", o.explain));
      return static_cast<int>(ExitCode::Usage);
    }
    text = explain_text.str();
  } else if (o.format == "jsonl") {
    if (o.summary) std::cerr << summary.to_json(result.reader).dump(2) << "\n";
  } else if (diffing) {
    if (o.format == "json") {
      text = diff.to_json().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    } else {
      std::ostringstream s;
      diff.write_text(s);
      text = s.str();
    }
  } else if (o.format == "json") {
    text = summary.to_json(result.reader)
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n";
  } else {
    std::ostringstream s;
    summary.write_text(s, result.reader);
    text = s.str();
  }
  if (!out.flush() || (!text.empty() && !write_stdout(text)))
    return static_cast<int>(ExitCode::Usage);
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_simulate(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<SimulateOptions>();
  sub.footer(
      "Replays the events of recorded audit logs (raw or ENRICHED, rotated files oldest first, '-' "
      "for stdin) through the rules as the kernel evaluates them.\n"
      "Verdicts: fired (an always rule decided), suppressed (a never rule, the task list or the "
      "exclude list), unmatched (no rule), undetermined (the log lacks what a rule needs).\n"
      "Examples:\n"
      "  auditforge simulate rules.d --log /var/log/audit/audit.log\n"
      "  auditforge simulate old.rules --diff new.rules --log audit.log\n"
      "  auditforge simulate audit.rules --log audit.log --explain 1700000000.123:4567");
  sub.add_option("FILE", o->inputs, "rule files, rules.d folders or policy files")->required();
  sub.add_option("--log", o->logs, "recorded audit.log files ('-' for stdin)")->required();
  sub.add_option("--format", o->format,
                 "text (summary table), json (summary) or jsonl (one line per event)")
      ->check(CLI::IsMember({"text", "json", "jsonl"}));
  sub.add_flag("--summary", o->summary,
               "print the per-rule summary (the default; with jsonl, on stderr)");
  sub.add_option("--diff", o->diff, "a second rule set: compare what each would log");
  sub.add_option("--explain", o->explain,
                 "show every rule's outcome for one event (SECONDS.MILLIS:SERIAL)");
  sub.add_option("--html", o->html, "also write a self-contained HTML report here");
  sub.add_option("--arch", o->arch,
                 "target platforms for policy files (default: their own, else this host)");
  sub.add_flag("--strict", o->strict, "stop at the first malformed line (exit 1)");
  sub.add_flag("--no-stat", o->no_stat, "do not stat watch paths on this host");
  sub.add_flag("--no-progress", o->no_progress, "no progress indicator on a terminal");
  sub.add_option("--threads", o->threads,
                 "threads for the summary of one large log (default: one per core; 1: none)")
      ->check(CLI::Range(1u, 256u));
  sub.callback([o, &exit_code] { exit_code = run_simulate(*o); });
}

}  // namespace af::cli
