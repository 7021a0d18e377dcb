// auditforge list [--format text|json]: the kernel's rules in canonical form.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/output.h"
#include "compiler/emit/emit.h"
#include "compiler/emit/rule_text.h"
#include "kernel/kernel.h"

namespace af::cli {
namespace {

int run_list(const std::string& format) {
  auto rules = kernel::list_rules();
  if (!rules) {
    print_error(rules.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  std::string out;
  if (format == "json") {
    std::vector<ir::Rule> ir_rules;
    for (const auto& bytes : *rules) {
      emit::RuleData data;
      if (emit::decode_rule(bytes, data)) ir_rules.push_back(emit::rule_from_data(data));
    }
    ir::RuleSet none;
    diag::SourceSet sources;
    diag::DiagnosticSink diags;
    out = emit::emit_json({none, ir_rules, sources}, emit::EmitOptions{}, diags).value_or("");
  } else {
    // Exactly what `auditctl -l` prints, including its listing quirks.
    emit::ListingState state;
    for (const auto& bytes : *rules) {
      emit::RuleData data;
      if (!emit::decode_rule(bytes, data)) {
        print_error("the kernel returned a rule that does not decode");
        return static_cast<int>(ExitCode::Usage);
      }
      out += emit::listing_text(data, state) + "\n";
    }
    if (rules->empty()) out = "No rules\n";
  }
  if (auto w = write_stdout(out); !w) {
    print_error(w.error().message());
    return static_cast<int>(ExitCode::Usage);
  }
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_list(CLI::App& sub, int& exit_code) {
  auto format = std::make_shared<std::string>("text");
  sub.footer("Example: auditforge list --format json");
  sub.add_option("--format", *format, "text (as auditctl -l prints it) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub.callback([format, &exit_code] { exit_code = run_list(*format); });
}

}  // namespace af::cli
