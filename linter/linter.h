// The linter's public face: the check catalogue, findings, configuration, the lint pass over a
// Compilation, and the renderers (text, JSON, SARIF). Checks read IR only; the CLI loads
// inputs, the config file and recordings, and prints.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/compiler.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/ir/rule.h"

namespace af::lint {

enum class Family : uint8_t { Correctness, Portability, Noise, Hygiene };
std::string_view family_name(Family f);

enum class CheckId : uint16_t {
#define AF_CHECK(name, id, family, severity, runner, summary) name,
#include "linter/checks/registry.def"
#undef AF_CHECK
};

struct CheckInfo {
  CheckId check;
  std::string_view id;
  Family family;
  diag::Severity severity;
  std::string_view summary;
};

/// Every check, sorted by id.
const std::vector<CheckInfo>& all_checks();
const CheckInfo& info(CheckId id);
const CheckInfo* find_check(std::string_view id);

/// A mechanical edit: replace the bytes of `range` (one line) with `replacement`; with
/// `whole_line`, replace the whole line of `range` and its newline (`replacement` then carries
/// its own newlines; empty deletes the line).
struct Fix {
  ir::SourceRange range;
  std::string replacement;
  bool whole_line = false;
};

/// One finding. `check` is a lint id from registry.def or a compiler id from kinds.def: every
/// compiler diagnostic is also a finding, under its own id.
struct Finding {
  std::string_view check;
  diag::Severity severity = diag::Severity::Warning;
  ir::SourceRange range;
  ir::SourceRange rule;  // the whole rule the finding is about (suppression comments), if any
  std::string message;
  std::vector<diag::Note> notes;
  std::vector<Fix> fixes;
};

/// Options of individual checks, with their defaults.
struct CheckOptions {
  std::string min_kernel = "4.18";  // portability-kernel-version (RHEL 8's kernel)
  std::vector<std::string> target_machines = {"x86_64", "aarch64"};
  double rate_threshold = 100.0;  // noise-measured-rate, events per second
};

/// `.auditforge.yml`, section `lint:`. Per id: a severity, or nullopt for disabled.
struct Config {
  std::map<std::string, std::optional<diag::Severity>, std::less<>> overrides;
  CheckOptions options;
};

/// Parses the text of a `.auditforge.yml`. Unknown check ids and malformed values are errors
/// (returned as text), so that a typo never silently disables nothing.
std::optional<Config> parse_config(std::string_view yaml_text, std::string& error);

/// What a recording says about each kernel rule (--log): index = position in the kernel
/// rule vector that was linted.
struct MeasuredRates {
  struct Rule {
    uint64_t events = 0;
    uint64_t peak_per_second = 0;
  };
  std::vector<Rule> rules;
  double seconds = 0;  // span of the recording
};

/// Replays the recordings (rotated series in order) through `rules` (sema::loaded_rules) and
/// measures each rule; an unreadable log is returned in `error`. One pass, constant memory.
std::optional<MeasuredRates> measure_rates(const std::vector<std::string>& logs,
                                           const std::vector<ir::Rule>& rules, std::string& error);

struct LintInput {
  const Compilation* compilation = nullptr;
  const std::vector<ir::Rule>* kernel_rules = nullptr;  // sema::loaded_rules of the run
  Config config;
  const MeasuredRates* rates = nullptr;
  /// Whether a path exists on this host (portability-watch-path-missing); unset: not checked.
  std::function<bool(const std::string&)> path_exists;
};

/// Runs every enabled check and turns the compilation's diagnostics into findings; applies
/// severity overrides and `# auditforge: disable=ID` comments. Sorted by location and id.
std::vector<Finding> lint(const LintInput& input);

/// The fixed contents of every file that has fixes, by file id. Fixes that overlap an
/// earlier-applied one are skipped; every byte outside the fixed ranges stays as it was.
/// `applied` receives the number of fixes applied.
std::map<uint32_t, std::string> apply_fixes(const std::vector<Finding>& findings,
                                            const diag::SourceSet& sources, size_t& applied);

struct Counts {
  size_t errors = 0, warnings = 0, notes = 0;
};
Counts count(const std::vector<Finding>& findings);

/// "file:line:col: warning: message [id]", the source line, a caret, then the notes.
std::string render_text(const std::vector<Finding>& findings, const diag::SourceSet& sources);
/// {"findings":[{"check","severity","file","line","column","message"}],"summary":{...}}
std::string render_json(const std::vector<Finding>& findings, const diag::SourceSet& sources);
/// SARIF 2.1.0 for GitHub code scanning: one run, the catalogue as rules, one result each.
std::string render_sarif(const std::vector<Finding>& findings, const diag::SourceSet& sources);

}  // namespace af::lint
