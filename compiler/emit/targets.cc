#include <fmt/format.h>

#include "compiler/emit/emit.h"

namespace af::emit {

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"audit.rules", "a rules file for auditctl -R or /etc/audit/rules.d", emit_audit_rules,
       false},
      {"auditbeat", "an auditd module block for auditbeat.yml", emit_auditbeat, false},
      {"binary", "the kernel's struct audit_rule_data for each rule, as sent over netlink",
       emit_binary, true},
      {"go-audit", "a go-audit configuration with its rules list", emit_go_audit, false},
      {"policy", "the rules in the auditforge policy language (what `convert` writes)", emit_policy,
       false},
      {"json", "the rules as data with their origins, for tooling", emit_json, false},
  };
  return all;
}

const Target* find_target(std::string_view name) {
  for (const Target& t : targets())
    if (t.name == name) return &t;
  return nullptr;
}

Settings settings_of(const ir::RuleSet& statements) {
  Settings s;
  for (const ir::Statement& st : statements.statements) {
    const auto* c = std::get_if<ir::Control>(&st);
    if (!c) continue;
    switch (c->kind) {
      case ir::ControlKind::BacklogLimit:
        s.backlog_limit = c->value;
        break;
      case ir::ControlKind::RateLimit:
        s.rate_limit = c->value;
        break;
      case ir::ControlKind::FailureMode:
        s.failure_mode = c->value;
        break;
      case ir::ControlKind::BacklogWaitTime:
        s.backlog_wait_time = c->value;
        break;
      case ir::ControlKind::Enabled:
        s.enabled = c->value;
        break;
      case ir::ControlKind::LoginuidImmutable:
        s.loginuid_immutable = true;
        break;
      default:
        break;
    }
  }
  return s;
}

std::string origin_text(const ir::Origin& origin, const diag::SourceSet& sources) {
  const ir::SourceRange& r = origin.range;
  if (!r.valid() || r.file > sources.size()) return "";
  return fmt::format("{}:{}", sources.file(r.file).name, r.line);
}

}  // namespace af::emit
