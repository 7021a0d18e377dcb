// Target auditbeat: an `auditd` module block for auditbeat.yml.
//
// Auditbeat reads each rule line with go-libaudit: YAML, then ${} variable expansion, then a
// shell-style splitter (go-shellquote), then Go flags. Values are therefore written as
// shell words (quoted where needed) with every '$' doubled, and a value that any layer would
// change is refused: whitespace in an -F value (cut at the first blank), a comma or blanks at
// the ends of a key (split and trimmed), control bytes and line separators (YAML), invalid
// UTF-8. Rules and settings Auditbeat cannot load are refused too (filesystem list,
// sessionid and fstype fields, saddr_fam other than 2 or 10). See docs/targets.md.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/emit/emit.h"
#include "compiler/emit/rule_text.h"
#include "compiler/emit/value_safety.h"

namespace af::emit {
namespace {

bool has_blank(std::string_view v) { return v.find_first_of(" \t\n\f\r") != v.npos; }

// The line for one rule, or nullopt after reporting why Auditbeat cannot carry it.
std::optional<std::string> auditbeat_line(const ir::Rule& r, const EmitOptions& options,
                                          diag::DiagnosticSink& diags) {
  auto refuse = [&](diag::Kind kind, std::string why) {
    diags.report(kind, r.origin.range, std::move(why));
    return std::nullopt;
  };
  if (r.list == ir::List::Filesystem)
    return refuse(diag::Kind::EmitUnsupported, "Auditbeat cannot load filesystem-list rules");
  for (const ir::Field& f : r.fields) {
    if (f.id == AUDIT_SESSIONID || f.id == AUDIT_FSTYPE)
      return refuse(diag::Kind::EmitUnsupported,
                    fmt::format("Auditbeat cannot load a rule with the '{}' field",
                                tables::field_name(f.id).value_or("?")));
    if (f.id == AUDIT_SADDR_FAM && f.value != 2 && f.value != 10)
      return refuse(diag::Kind::EmitUnsupported,
                    "Auditbeat accepts saddr_fam only for AF_INET (2) and AF_INET6 (10)");
  }
  std::vector<std::string> words = rule_words(r, options.host);
  std::string line;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    bool is_value = i > 0 && words[i - 1].size() == 2 && words[i - 1][0] == '-';
    if (auto bad = yaml_unsafe(word))
      return refuse(diag::Kind::EmitUnsafeValue,
                    fmt::format("value '{}' cannot be carried in auditbeat.yml: {}", word, *bad));
    // Keys go through -k (one key field joined with 0x01, as auditctl builds it); go-libaudit
    // splits a -k value at commas and trims it, so those are refused.
    if (is_value && words[i - 1] == "-F" && word.starts_with("key=")) {
      line.resize(line.size() - 3);  // drop "-F "
      line += "-k ";
      word = word.substr(4);
      if (word.find(',') != word.npos || word != std::string(word.c_str()) || word.empty() ||
          word.front() == ' ' || word.back() == ' ')
        return refuse(diag::Kind::EmitUnsafeValue,
                      fmt::format("key '{}' would be split or trimmed by Auditbeat (commas, "
                                  "blanks at either end)",
                                  word));
    } else if (is_value && words[i - 1] == "-k") {
      if (word.find(',') != word.npos || word.empty() || word.front() == ' ' || word.back() == ' ')
        return refuse(diag::Kind::EmitUnsafeValue,
                      fmt::format("key '{}' would be split or trimmed by Auditbeat (commas, "
                                  "blanks at either end)",
                                  word));
    } else if (is_value && (words[i - 1] == "-F" || words[i - 1] == "-C") && has_blank(word)) {
      return refuse(diag::Kind::EmitUnsafeValue,
                    fmt::format("'{}' holds a blank; Auditbeat cuts -F values at the first "
                                "blank",
                                word));
    }
    std::string quoted = shell_word(word);
    // go-ucfg expands ${...} and turns $$ into $.
    for (char c : quoted) {
      if (c == '$') line += '$';
      line += c;
    }
    line += ' ';
  }
  if (!line.empty()) line.pop_back();
  return line;
}

}  // namespace

std::optional<std::string> emit_auditbeat(const EmitInput& in, const EmitOptions& options,
                                          diag::DiagnosticSink& diags) {
  Settings s = settings_of(in.statements);
  std::string rules;
  bool ok = true;
  for (const ir::Rule& r : in.rules) {
    auto line = auditbeat_line(r, options, diags);
    if (!line) {
      ok = false;
      continue;
    }
    rules += *line + "\n";
  }
  if (s.backlog_wait_time)
    diags.report(diag::Kind::EmitUnsupported, diag::Severity::Warning, {},
                 "Auditbeat has no backlog_wait_time option; the setting is left out");
  if (s.loginuid_immutable)
    diags.report(diag::Kind::EmitUnsupported, diag::Severity::Warning, {},
                 "Auditbeat cannot set loginuid-immutable; the setting is left out");
  if (!ok) return std::nullopt;
  if (!rules.empty()) rules.pop_back();  // the block's own line break ends the last rule

  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "auditbeat.modules" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap;
  out << YAML::Key << "module" << YAML::Value << "auditd";
  out << YAML::Key << "audit_rules" << YAML::Value << YAML::Literal << rules;
  if (s.backlog_limit) out << YAML::Key << "backlog_limit" << YAML::Value << *s.backlog_limit;
  if (s.rate_limit) out << YAML::Key << "rate_limit" << YAML::Value << *s.rate_limit;
  if (s.failure_mode) {
    static const char* kModes[] = {"silent", "log", "panic"};
    out << YAML::Key << "failure_mode" << YAML::Value << kModes[*s.failure_mode % 3];
  }
  if (s.enabled == 2u) out << YAML::Key << "immutable" << YAML::Value << true;
  out << YAML::EndMap;
  // Watches marked for integrity monitoring: one file_integrity block each, since the
  // module's options (recursion, patterns, hashes, limits) apply to all its paths.
  for (const ir::IntegrityWatch& w : in.statements.integrity) {
    for (const std::string& v : w.exclude_files)
      if (auto bad = yaml_unsafe(v)) {
        diags.report(diag::Kind::EmitUnsafeValue, w.origin.range,
                     fmt::format("pattern '{}' cannot be carried in auditbeat.yml: {}", v, *bad));
        ok = false;
      }
    if (auto bad = yaml_unsafe(w.path)) {
      diags.report(diag::Kind::EmitUnsafeValue, w.origin.range,
                   fmt::format("path '{}' cannot be carried in auditbeat.yml: {}", w.path, *bad));
      ok = false;
    }
    auto dollars = [](const std::string& v) {
      std::string o;
      for (char c : v) o += c == '$' ? std::string("$$") : std::string(1, c);
      return o;
    };
    out << YAML::BeginMap;
    out << YAML::Key << "module" << YAML::Value << "file_integrity";
    out << YAML::Key << "paths" << YAML::Value << YAML::BeginSeq << dollars(w.path) << YAML::EndSeq;
    out << YAML::Key << "recursive" << YAML::Value << w.recursive;
    auto list = [&](const char* key, const std::vector<std::string>& values) {
      if (values.empty()) return;
      out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
      for (const std::string& v : values) out << YAML::SingleQuoted << dollars(v);
      out << YAML::EndSeq;
    };
    list("exclude_files", w.exclude_files);
    list("include_files", w.include_files);
    list("hash_types", w.hash_types);
    if (!w.max_file_size.empty())
      out << YAML::Key << "max_file_size" << YAML::Value << w.max_file_size;
    if (!w.scan_rate_per_sec.empty())
      out << YAML::Key << "scan_rate_per_sec" << YAML::Value << w.scan_rate_per_sec;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  if (!ok) return std::nullopt;
  return std::string(out.c_str()) + "\n";
}

}  // namespace af::emit
