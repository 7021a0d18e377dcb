// Target policy (also `auditforge convert`): classic rules rewritten in the policy language.
// b64/b32 pairs of the same rule fold into one arch-neutral rule, keys become rule names,
// watches become `watch`, and each rule keeps its place, so that compiling the result gives
// the same kernel rules in the same order.
#include <fmt/format.h>

#include <map>
#include <set>

#include "compiler/emit/emit.h"
#include "compiler/sema/field_table.h"

namespace af::emit {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The policy language writes equality as "==".
std::string_view op_text(ir::Op op) { return op == ir::Op::Equal ? "==" : ir::op_symbol(op); }

// One field as a policy comparison, or nullopt when the language cannot say it.
std::optional<std::string> condition(const ir::Field& f) {
  if (f.id == AUDIT_FIELD_COMPARE) {
    auto c = sema::comparison_by_code(f.value);
    if (!c) return std::nullopt;
    return fmt::format("{} {} {}", c->left_name, op_text(f.op), c->right_name);
  }
  auto name = tables::field_name(f.id);
  auto rule = sema::field_rule(f.id);
  if (!name || !rule) return std::nullopt;
  std::string value;
  switch (rule->kind) {
    case sema::ValueKind::Uid:
      value = f.value == 4294967295u ? "unset" : std::to_string(f.value);
      break;
    case sema::ValueKind::Exit: {
      int32_t v = static_cast<int32_t>(f.value);
      auto err = v < 0 ? tables::errno_name(-v) : std::nullopt;
      // In a policy an errno name means the failing return value.
      value = err ? std::string(*err) : fmt::format("{}", v);
      break;
    }
    case sema::ValueKind::SignedNum:
      value = fmt::format("0x{:X}", f.value);
      break;
    case sema::ValueKind::MsgType:
      value = std::string(tables::msg_type_name(f.value).value_or(std::to_string(f.value)));
      break;
    case sema::ValueKind::FileType:
      value = std::string(tables::file_type_name(f.value).value_or(std::to_string(f.value)));
      break;
    case sema::ValueKind::FsType:
      value = std::string(tables::fs_type_name(f.value).value_or(std::to_string(f.value)));
      break;
    case sema::ValueKind::Arch: {
      auto m = tables::arch_to_machine(f.value);
      value = m ? std::string(tables::machine_name(*m).value_or("?")) : std::to_string(f.value);
      break;
    }
    case sema::ValueKind::Perm:
      value = ir::perm_letters(f.value);
      break;
    case sema::ValueKind::Path:
    case sema::ValueKind::Exe:
    case sema::ValueKind::Label:
    case sema::ValueKind::Key:
      value = quoted(f.text);
      break;
    default:
      value = std::to_string(f.value);
      break;
  }
  return fmt::format("{} {} {}", *name, op_text(f.op), value);
}

// A rule name from its key: the characters the grammar allows, made unique.
std::string rule_name(const ir::Rule& r, std::set<std::string>& used, size_t index) {
  std::string base;
  if (!r.keys.empty()) {
    for (char c : r.keys[0]) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
      base += ok ? c : '-';
    }
  }
  if (base.empty() ||
      !((base[0] >= 'a' && base[0] <= 'z') || (base[0] >= 'A' && base[0] <= 'Z') || base[0] == '_'))
    base = "rule-" + (base.empty() ? std::to_string(index) : base);
  std::string name = base;
  for (int n = 2; used.count(name); ++n) name = fmt::format("{}-{}", base, n);
  used.insert(name);
  return name;
}

// Syscall names of a rule in its own arch's table (numbers where there is no name).
std::vector<std::string> syscall_names(const ir::Rule& r, tables::Machine host) {
  std::vector<std::string> out;
  auto arch = r.arch();
  std::optional<tables::Machine> m = arch ? tables::arch_to_machine(*arch) : host;
  for (uint32_t nr = 0; nr < ir::SyscallMask::kMaxSyscall; ++nr) {
    if (!r.mask.test(nr)) continue;
    auto name = m ? tables::syscall_name(nr, *m) : std::nullopt;
    out.push_back(name ? std::string(*name) : std::to_string(nr));
  }
  return out;
}

// Rule `b` is the 32-bit twin of `a` when only the arch and the syscall numbers differ and
// the syscall names are the same.
bool is_twin(const ir::Rule& a, const ir::Rule& b, tables::Machine host) {
  auto compat = tables::compat_machine(host);
  if (!compat || a.arch() != tables::machine_to_arch(host) ||
      b.arch() != tables::machine_to_arch(*compat))
    return false;
  if (a.list != b.list || a.action != b.action || a.keys != b.keys ||
      a.fields.size() != b.fields.size() || a.mask.all() || b.mask.all())
    return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].id == AUDIT_ARCH) continue;
    if (!(a.fields[i] == b.fields[i])) return false;
  }
  return syscall_names(a, host) == syscall_names(b, host);
}

}  // namespace

std::optional<std::string> emit_policy(const EmitInput& in, const EmitOptions& options,
                                       diag::DiagnosticSink& diags) {
  std::string out = "# Converted by auditforge from classic audit rules.\n";
  auto host_name = tables::machine_name(options.host).value_or("x86_64");
  out += fmt::format("target arch {}\n", host_name);
  Settings s = settings_of(in.statements);
  std::string settings;
  if (s.backlog_limit) settings += fmt::format("  buffer {}\n", *s.backlog_limit);
  if (s.failure_mode) {
    static const char* kModes[] = {"silent", "printk", "panic"};
    settings += fmt::format("  failure {}\n", kModes[*s.failure_mode % 3]);
  }
  if (s.rate_limit) settings += fmt::format("  rate {}\n", *s.rate_limit);
  if (s.backlog_wait_time)
    settings += fmt::format("  backlog_wait_time {}\n", *s.backlog_wait_time);
  if (s.loginuid_immutable) settings += "  loginuid immutable\n";
  if (s.enabled) {
    static const char* kEnabled[] = {"false", "true", "immutable"};
    settings += fmt::format("  enabled {}\n", kEnabled[*s.enabled % 3]);
  }
  if (!settings.empty()) out += "\nsettings {\n" + settings + "}\n";

  std::set<std::string> used;
  bool ok = true;
  for (size_t i = 0; i < in.rules.size(); ++i) {
    const ir::Rule& r = in.rules[i];
    bool fold = i + 1 < in.rules.size() && is_twin(r, in.rules[i + 1], options.host);
    std::string name = rule_name(r, used, i + 1);
    std::string where = origin_text(r.origin, in.sources);
    out += where.empty() ? "\n" : fmt::format("\n# from {}\n", where);

    // A watch: path or dir field first, perm second, nothing else but keys.
    bool watch = r.list == ir::List::Exit && r.action == ir::Action::Always && r.mask.all() &&
                 r.fields.size() == 2 &&
                 (r.fields[0].id == AUDIT_WATCH || r.fields[0].id == AUDIT_DIR) &&
                 r.fields[1].id == AUDIT_PERM && !r.fields[0].text.ends_with('/');
    std::vector<std::string> props;
    std::vector<std::string> conds;
    const char* kind = "rule";
    if (r.list == ir::List::Exclude) kind = "exclude";
    if (r.list == ir::List::User) kind = "user";
    if (r.list == ir::List::Task) kind = "task";
    if (r.list == ir::List::Filesystem) kind = "filesystem";
    if (r.list == ir::List::Exit && r.action == ir::Action::Never) kind = "never";
    if (watch) {
      kind = "watch";
      std::string path = r.fields[0].text;
      if (r.fields[0].id == AUDIT_DIR) path += '/';
      std::string perms;
      for (auto [bit, word] : {std::pair{AUDIT_PERM_READ, "read"},
                               {AUDIT_PERM_WRITE, "write"},
                               {AUDIT_PERM_EXEC, "exec"},
                               {AUDIT_PERM_ATTR, "attr"}})
        if (r.fields[1].value & bit) perms += (perms.empty() ? "" : ", ") + std::string(word);
      props.push_back("perm " + perms);
      out += fmt::format("watch {} {}", name, quoted(path));
    } else {
      out += fmt::format("{} {}", kind, name);
      bool action_differs = (r.list == ir::List::Filesystem) != (r.action == ir::Action::Never);
      if (r.list != ir::List::Exit && r.list != ir::List::Exclude && action_differs)
        props.push_back(r.action == ir::Action::Never ? "action never" : "action always");
      if (r.list == ir::List::Exit && r.syscalls_given && !r.mask.all()) {
        std::vector<std::string> names = syscall_names(r, options.host);
        props.push_back("syscalls " + fmt::format("{}", fmt::join(names, ", ")));
      } else if (r.list == ir::List::Exit && r.syscalls_given) {
        props.push_back("syscalls all");
      }
      auto arch = r.arch();
      if (fold) {
        // The b64/b32 pair is the arch-neutral rule itself.
      } else if (arch) {
        auto m = tables::arch_to_machine(*arch);
        props.push_back(fmt::format("arch {}", tables::machine_name(*m).value_or("?")));
      } else if (r.list == ir::List::Exit && r.syscalls_given && !r.mask.all()) {
        props.push_back("arch none");
      }
      for (const ir::Field& f : r.fields) {
        if (f.id == AUDIT_ARCH && f.op == ir::Op::Equal && arch) continue;
        auto c = condition(f);
        if (!c) {
          diags.report(diag::Kind::EmitUnsupported, r.origin.range,
                       "this rule has a field the policy language cannot express");
          ok = false;
          break;
        }
        conds.push_back(*c);
      }
    }
    if (watch) {
      // fields other than path and perm are not possible here
    }
    if (r.list != ir::List::Exclude) {
      if (r.keys.empty()) {
        props.push_back("key \"\"");
      } else if (r.keys.size() > 1 || r.keys[0] != name) {
        std::vector<std::string> qs;
        for (const std::string& k : r.keys) qs.push_back(quoted(k));
        props.push_back(fmt::format("key {}", fmt::join(qs, ", ")));
      }
    }
    if (!conds.empty()) props.push_back("where " + fmt::format("{}", fmt::join(conds, " and ")));
    out += " {\n";
    for (const std::string& p : props) out += "  " + p + "\n";
    out += "}\n";
    if (fold) ++i;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace af::emit
