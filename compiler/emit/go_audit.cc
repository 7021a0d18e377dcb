// Target go-audit: a go-audit configuration with its `rules:` list.
//
// go-audit splits each rule with Go's strings.Fields (any Unicode whitespace) and runs
// auditctl with those words, without a shell and without auditctl's file-mode unescaping. A
// value holding whitespace therefore cannot be written at all and is refused; everything else
// is passed as its exact bytes inside a YAML double-quoted string (yaml-cpp escapes).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/emit/emit.h"
#include "compiler/emit/rule_text.h"
#include "compiler/emit/value_safety.h"

namespace af::emit {

std::optional<std::string> emit_go_audit(const EmitInput& in, const EmitOptions& options,
                                         diag::DiagnosticSink& diags) {
  Settings s = settings_of(in.statements);
  std::vector<std::string> rules;
  bool ok = true;
  // go-audit runs `auditctl -D` itself before the rules; settings are plain auditctl lines.
  if (s.backlog_limit) rules.push_back(fmt::format("-b {}", *s.backlog_limit));
  if (s.failure_mode) rules.push_back(fmt::format("-f {}", *s.failure_mode));
  if (s.rate_limit) rules.push_back(fmt::format("-r {}", *s.rate_limit));
  if (s.backlog_wait_time)
    rules.push_back(fmt::format("--backlog_wait_time {}", *s.backlog_wait_time));
  for (const ir::Rule& r : in.rules) {
    std::vector<std::string> words = rule_words(r, options.host);
    std::string line;
    for (const std::string& w : words) {
      std::optional<std::string> bad = yaml_unsafe(w);
      if (!bad) bad = has_unicode_space(w);
      if (bad) {
        diags.report(diag::Kind::EmitUnsafeValue, r.origin.range,
                     fmt::format("value '{}' cannot be passed through go-audit, which splits "
                                 "rules at whitespace: {}",
                                 w, *bad));
        ok = false;
        line.clear();
        break;
      }
      line += (line.empty() ? "" : " ") + w;
    }
    if (!line.empty()) rules.push_back(std::move(line));
  }
  if (s.loginuid_immutable) rules.push_back("--loginuid-immutable");
  if (s.enabled) {
    if (*s.enabled == 2)
      diags.report(diag::Kind::EmitUnsupported, diag::Severity::Warning, {},
                   "with '-e 2' go-audit cannot start again until reboot (its 'auditctl -D' "
                   "fails on a locked kernel)");
    rules.push_back(fmt::format("-e {}", *s.enabled));
  }
  if (!ok) return std::nullopt;

  YAML::Emitter out;
  out << YAML::BeginMap;
  // go-audit needs exactly one enabled output; stdout keeps the file valid as generated.
  out << YAML::Key << "output" << YAML::Value << YAML::BeginMap << YAML::Key << "stdout"
      << YAML::Value << YAML::BeginMap << YAML::Key << "enabled" << YAML::Value << true << YAML::Key
      << "attempts" << YAML::Value << 3 << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  for (const std::string& r : rules) out << YAML::DoubleQuoted << r;
  out << YAML::EndSeq;
  // go-audit compares `syscall` as the decimal string the log shows, so filters carry one
  // number per ABI (policy `filter` rules).
  if (!in.statements.go_audit_filters.empty()) {
    out << YAML::Key << "filters" << YAML::Value << YAML::BeginSeq;
    for (const ir::GoAuditFilter& f : in.statements.go_audit_filters) {
      if (auto bad = yaml_unsafe(f.regex)) {
        diags.report(diag::Kind::EmitUnsafeValue, f.origin.range,
                     fmt::format("filter regex cannot be carried in YAML: {}", *bad));
        ok = false;
      }
      out << YAML::BeginMap << YAML::Key << "syscall" << YAML::Value << f.syscall << YAML::Key
          << "message_type" << YAML::Value << f.message_type << YAML::Key << "regex" << YAML::Value
          << YAML::SingleQuoted << f.regex << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  if (!ok) return std::nullopt;
  return std::string(out.c_str()) + "\n";
}

}  // namespace af::emit
