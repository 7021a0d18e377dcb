// Compile targets: each turns a validated rule set into the text or bytes one consumer
// reads (auditctl, the kernel, Auditbeat, go-audit, tooling). Emitters never change the IR,
// never reorder rules (the first match wins) and produce byte-stable output. A value a target
// cannot carry safely is refused with emit-unsafe-value, never escaped by guesswork.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_set.h"
#include "compiler/ir/rule_set.h"
#include "compiler/tables/tables.h"

namespace af::emit {

struct EmitOptions {
  /// The machine whose syscall names a listing uses for rules without arch.
  tables::Machine host = tables::host_machine();
  /// go-audit: also emit `filters:` (not yet used by any input).
  bool go_audit_filters = false;
};

/// What an emitter reads: the statements as written and the rules as the kernel will hold
/// them after loading (-A, -d and -D applied), with the sources for origin comments.
struct EmitInput {
  const ir::RuleSet& statements;
  const std::vector<ir::Rule>& rules;
  const diag::SourceSet& sources;
};

using EmitFunction = std::optional<std::string> (*)(const EmitInput&, const EmitOptions&,
                                                    diag::DiagnosticSink&);

struct Target {
  std::string_view name;
  std::string_view summary;
  EmitFunction emit;
  bool binary;  // output is bytes, not text
};

/// Every target, in the order `--help` lists them.
const std::vector<Target>& targets();
const Target* find_target(std::string_view name);

std::optional<std::string> emit_audit_rules(const EmitInput&, const EmitOptions&,
                                            diag::DiagnosticSink&);
std::optional<std::string> emit_binary(const EmitInput&, const EmitOptions&, diag::DiagnosticSink&);
/// One file of a rules.d folder.
struct Fragment {
  std::string name;  // "20-identity.rules"
  std::string content;
};

/// The audit.rules target as a rules.d folder: settings first, one numbered fragment per run
/// of rules from the same source file, the enabled flag last; augenrules' version sort of the
/// names reproduces the rule order.
std::optional<std::vector<Fragment>> emit_rules_d(const EmitInput&, const EmitOptions&,
                                                  diag::DiagnosticSink&);

std::optional<std::string> emit_auditbeat(const EmitInput&, const EmitOptions&,
                                          diag::DiagnosticSink&);
std::optional<std::string> emit_go_audit(const EmitInput&, const EmitOptions&,
                                         diag::DiagnosticSink&);
std::optional<std::string> emit_policy(const EmitInput&, const EmitOptions&, diag::DiagnosticSink&);
std::optional<std::string> emit_json(const EmitInput&, const EmitOptions&, diag::DiagnosticSink&);

/// The settings of a rule set that every target maps: the last value of each control.
struct Settings {
  std::optional<uint32_t> backlog_limit, rate_limit, failure_mode, backlog_wait_time, enabled;
  bool loginuid_immutable = false;
};
Settings settings_of(const ir::RuleSet& statements);

/// "file:line" of a rule's origin, or "" without one.
std::string origin_text(const ir::Origin& origin, const diag::SourceSet& sources);

}  // namespace af::emit
