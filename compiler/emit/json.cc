// Target json: the rule set as data, with each rule's origin and canonical text.
#include <nlohmann/json.hpp>

#include "compiler/emit/emit.h"
#include "compiler/emit/rule_text.h"

namespace af::emit {
namespace {

nlohmann::json rule_json(const ir::Rule& r, const EmitInput& in, const EmitOptions& options) {
  nlohmann::json j;
  j["list"] = std::string(tables::list_name(static_cast<uint32_t>(r.list)).value_or("?"));
  j["action"] = std::string(tables::action_name(static_cast<uint32_t>(r.action)).value_or("?"));
  if (auto arch = r.arch()) {
    auto m = tables::arch_to_machine(*arch);
    j["arch"] = m ? std::string(tables::machine_name(*m).value_or("?")) : std::to_string(*arch);
  } else {
    j["arch"] = nullptr;
  }
  if (r.list == ir::List::Exit || r.list == ir::List::IoUring) {
    if (r.mask.all()) {
      j["syscalls"] = "all";
    } else {
      nlohmann::json sc = nlohmann::json::array();
      auto machine = r.arch() ? tables::arch_to_machine(*r.arch()) : options.host;
      for (uint32_t nr = 0; nr < ir::SyscallMask::kMaxSyscall; ++nr) {
        if (!r.mask.test(nr)) continue;
        nlohmann::json s;
        s["number"] = nr;
        auto name = machine ? tables::syscall_name(nr, *machine) : std::nullopt;
        s["name"] = name ? nlohmann::json(std::string(*name)) : nlohmann::json(nullptr);
        sc.push_back(std::move(s));
      }
      j["syscalls"] = std::move(sc);
    }
  }
  nlohmann::json fields = nlohmann::json::array();
  for (const ir::Field& f : r.fields) {
    nlohmann::json jf;
    jf["field"] = std::string(tables::field_name(f.id).value_or("?"));
    jf["op"] = std::string(ir::op_symbol(f.op));
    if (f.id == AUDIT_PERM) {
      jf["value"] = ir::perm_letters(f.value);
    } else if (f.text.empty() && f.id != AUDIT_FILTERKEY) {
      jf["value"] = f.value;
    } else {
      jf["value"] = f.text;
    }
    fields.push_back(std::move(jf));
  }
  j["fields"] = std::move(fields);
  j["keys"] = r.keys;
  nlohmann::json origin;
  const ir::SourceRange& range = r.origin.range;
  if (range.valid() && range.file <= in.sources.size()) {
    origin["file"] = in.sources.file(range.file).name;
    origin["line"] = range.line;
  }
  if (!r.origin.policy_rule.empty()) origin["policy_rule"] = r.origin.policy_rule;
  if (!r.origin.description.empty()) origin["description"] = r.origin.description;
  if (!r.origin.severity.empty()) origin["severity"] = r.origin.severity;
  if (!r.origin.tags.empty()) origin["tags"] = r.origin.tags;
  j["origin"] = origin.is_null() ? nlohmann::json(nullptr) : origin;
  j["text"] = rule_text(r, options.host);
  return j;
}

}  // namespace

std::optional<std::string> emit_json(const EmitInput& in, const EmitOptions& options,
                                     diag::DiagnosticSink&) {
  nlohmann::json root;
  Settings s = settings_of(in.statements);
  nlohmann::json settings = nlohmann::json::object();
  auto put = [&](const char* name, const std::optional<uint32_t>& v) {
    if (v) settings[name] = *v;
  };
  put("backlog_limit", s.backlog_limit);
  put("rate_limit", s.rate_limit);
  put("failure_mode", s.failure_mode);
  put("backlog_wait_time", s.backlog_wait_time);
  put("enabled", s.enabled);
  if (s.loginuid_immutable) settings["loginuid_immutable"] = true;
  root["settings"] = std::move(settings);
  nlohmann::json rules = nlohmann::json::array();
  for (const ir::Rule& r : in.rules) rules.push_back(rule_json(r, in, options));
  root["rules"] = std::move(rules);
  nlohmann::json integrity = nlohmann::json::array();
  for (const ir::IntegrityWatch& w : in.statements.integrity) {
    nlohmann::json j;
    j["path"] = w.path;
    j["recursive"] = w.recursive;
    j["exclude_files"] = w.exclude_files;
    j["include_files"] = w.include_files;
    j["hash_types"] = w.hash_types;
    j["max_file_size"] = w.max_file_size;
    j["scan_rate_per_sec"] = w.scan_rate_per_sec;
    j["policy_rule"] = w.origin.policy_rule;
    integrity.push_back(std::move(j));
  }
  root["integrity"] = std::move(integrity);
  // Values may hold any byte; invalid UTF-8 is replaced rather than thrown on.
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace af::emit
