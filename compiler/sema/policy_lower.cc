#include "compiler/sema/policy_lower.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/sema/field_pair.h"
#include "compiler/sema/field_table.h"

namespace af::sema {
namespace {

using diag::Kind;
using policy::Expr;
using policy::Value;

// One comparison of a conjunction: field OP value, or field OP other-field (-C).
struct Atom {
  std::string field;
  ir::Op op = ir::Op::Equal;
  Value value;
  ir::SourceRange range;
};
using Conjunction = std::vector<Atom>;

// Symbolic values for syscall arguments: socket families and open flags.
std::optional<uint32_t> argument_symbol(std::string_view name) {
  static const std::map<std::string_view, uint32_t> kSymbols = {
      {"AF_UNIX", AF_UNIX},     {"AF_LOCAL", AF_LOCAL},     {"AF_INET", AF_INET},
      {"AF_INET6", AF_INET6},   {"AF_NETLINK", AF_NETLINK}, {"AF_PACKET", AF_PACKET},
      {"O_RDONLY", O_RDONLY},   {"O_WRONLY", O_WRONLY},     {"O_RDWR", O_RDWR},
      {"O_CREAT", O_CREAT},     {"O_EXCL", O_EXCL},         {"O_TRUNC", O_TRUNC},
      {"O_APPEND", O_APPEND},   {"O_NOFOLLOW", O_NOFOLLOW}, {"O_DIRECTORY", O_DIRECTORY},
      {"O_TMPFILE", O_TMPFILE},
  };
  auto it = kSymbols.find(name);
  if (it == kSymbols.end()) return std::nullopt;
  return it->second;
}

std::optional<ir::Op> negate(ir::Op op) {
  switch (op) {
    case ir::Op::Equal:
      return ir::Op::NotEqual;
    case ir::Op::NotEqual:
      return ir::Op::Equal;
    case ir::Op::Less:
      return ir::Op::GreaterEqual;
    case ir::Op::GreaterEqual:
      return ir::Op::Less;
    case ir::Op::Greater:
      return ir::Op::LessEqual;
    case ir::Op::LessEqual:
      return ir::Op::Greater;
    default:
      return std::nullopt;  // the kernel has no "not bit set" operator
  }
}

class Lowering {
 public:
  Lowering(const PolicyOptions& options, ir::RuleSet& out, diag::DiagnosticSink& diags)
      : options_(options), out_(out), diags_(diags) {}

  void run(const std::vector<const policy::Item*>& items);

 private:
  struct RuleEntry {
    const policy::RuleDecl* decl;
    bool disabled = false;
  };

  // Disjunctive normal form of `e`, negated when `negated`; nullopt after an error. The
  // number of conjunctions is capped at the expansion limit.
  std::optional<std::vector<Conjunction>> dnf(const Expr& e, bool negated, int depth);
  std::optional<std::vector<Conjunction>> cross(std::vector<Conjunction> a,
                                                const std::vector<Conjunction>& b,
                                                const ir::SourceRange& where);
  void lower_rule(const policy::RuleDecl& d);
  void lower_filter(const policy::RuleDecl& d);
  std::vector<tables::Machine> abis_for(const policy::RuleDecl& d);
  bool add_atom(ir::Rule& rule, const Atom& a, bool syscalls_given);
  bool add_integrity(const policy::RuleDecl& d, const std::string& path, bool dir);
  void add_settings(const policy::Settings& s);

  const PolicyOptions& options_;
  ir::RuleSet& out_;
  diag::DiagnosticSink& diags_;
  std::map<std::string, std::vector<Value>> lists_;
  std::map<std::string, const policy::ConditionDecl*> conditions_;
  std::vector<RuleEntry> rules_;
  std::map<std::string, size_t> rule_index_;
  std::vector<tables::Machine> target_abis_;
  bool limit_reported_ = false;
};

std::optional<std::vector<Conjunction>> Lowering::cross(std::vector<Conjunction> a,
                                                        const std::vector<Conjunction>& b,
                                                        const ir::SourceRange& where) {
  if (a.size() * b.size() > options_.expansion_limit) {
    if (!limit_reported_) {
      diags_
          .report(Kind::SemanticExpansionLimit, where,
                  fmt::format("this condition expands to at least {} kernel rules; the limit "
                              "is {}",
                              a.size() * b.size(), options_.expansion_limit))
          .note(
              "kernel rules only AND their fields, so each 'or' branch becomes its own rule; "
              "simplify the condition or use a named list of fewer values");
      limit_reported_ = true;
    }
    return std::nullopt;
  }
  std::vector<Conjunction> out;
  for (const Conjunction& x : a)
    for (const Conjunction& y : b) {
      Conjunction c = x;
      c.insert(c.end(), y.begin(), y.end());
      out.push_back(std::move(c));
    }
  return out;
}

std::optional<std::vector<Conjunction>> Lowering::dnf(const Expr& e, bool negated, int depth) {
  if (depth > 64) {
    diags_.report(Kind::SemanticUnknownName, e.range, "conditions refer to each other in a cycle");
    return std::nullopt;
  }
  auto single = [](Atom a) { return std::vector<Conjunction>{{std::move(a)}}; };
  switch (e.kind) {
    case Expr::Kind::Not:
      return dnf(e.children[0], !negated, depth);
    case Expr::Kind::And:
    case Expr::Kind::Or: {
      bool conjunctive = (e.kind == Expr::Kind::And) != negated;  // De Morgan
      auto left = dnf(e.children[0], negated, depth);
      auto right = dnf(e.children[1], negated, depth);
      if (!left || !right) return std::nullopt;
      if (conjunctive) return cross(std::move(*left), *right, e.range);
      left->insert(left->end(), right->begin(), right->end());
      if (left->size() > options_.expansion_limit) return cross(*left, {{}}, e.range);
      return left;
    }
    case Expr::Kind::Compare: {
      ir::Op op = e.op;
      if (negated) {
        auto n = negate(op);
        if (!n) {
          diags_.report(Kind::SemanticNotNegatable, e.range,
                        fmt::format("'not' cannot apply to '{}': the kernel has no negated bit "
                                    "test",
                                    ir::op_symbol(op)));
          return std::nullopt;
        }
        op = *n;
      }
      return single({e.name, op, e.values[0], e.range});
    }
    case Expr::Kind::InList:
    case Expr::Kind::InNamedList: {
      const std::vector<Value>* values = &e.values;
      if (e.kind == Expr::Kind::InNamedList) {
        auto it = lists_.find(e.list);
        if (it == lists_.end()) {
          diags_.report(Kind::SemanticUnknownName, e.range,
                        fmt::format("no list named '{}'", e.list));
          return std::nullopt;
        }
        values = &it->second;
      }
      bool inside = e.negated == negated;  // "in" (or "not not in")
      std::vector<Conjunction> out;
      if (inside) {
        for (const Value& v : *values) out.push_back({{e.name, ir::Op::Equal, v, e.range}});
        if (out.size() > options_.expansion_limit) return cross(out, {{}}, e.range);
      } else {
        Conjunction all;
        for (const Value& v : *values) all.push_back({e.name, ir::Op::NotEqual, v, e.range});
        out.push_back(std::move(all));
      }
      return out;
    }
    case Expr::Kind::InRange: {
      bool inside = e.negated == negated;
      const Value& low = e.values[0];
      const Value& high = e.values[1];
      if (inside)
        return std::vector<Conjunction>{{{e.name, ir::Op::GreaterEqual, low, e.range},
                                         {e.name, ir::Op::LessEqual, high, e.range}}};
      return std::vector<Conjunction>{{{e.name, ir::Op::Less, low, e.range}},
                                      {{e.name, ir::Op::Greater, high, e.range}}};
    }
    case Expr::Kind::ConditionRef: {
      auto it = conditions_.find(e.name);
      if (it == conditions_.end()) {
        diags_
            .report(Kind::SemanticUnknownName, e.range,
                    fmt::format("no condition named '{}'", e.name))
            .note("a test needs an operator, e.g. 'auid != unset'");
        return std::nullopt;
      }
      return dnf(it->second->expr, negated, depth + 1);
    }
  }
  return std::nullopt;
}

// Turns one atom into a field (or a -C comparison) of `rule`, reusing auditctl's value
// parsing so that a policy accepts exactly the values a rules file would.
bool Lowering::add_atom(ir::Rule& rule, const Atom& a, bool syscalls_given) {
  auto field = tables::field_id(a.field);
  if (!field) {
    diags_.report(Kind::SemanticUnknownField, a.range, fmt::format("unknown field '{}'", a.field));
    return false;
  }
  const Value& v = a.value;
  // A name on the right that is itself a uid or gid field: a field comparison (-C).
  if (v.kind == Value::Kind::Name && !v.negative) {
    auto other = tables::field_id(v.text);
    auto is_id = [](uint32_t f) {
      auto r = field_rule(f);
      return r && (r->kind == ValueKind::Uid || r->kind == ValueKind::Gid);
    };
    if (other && is_id(*field) && is_id(*other)) {
      if (a.op != ir::Op::Equal && a.op != ir::Op::NotEqual) {
        diags_.report(Kind::SemanticCompareInvalid, a.range,
                      "comparing two fields takes only '==' or '!='");
        return false;
      }
      auto cmp = comparison_of(*field, *other);
      if (!cmp) {
        diags_
            .report(Kind::SemanticCompareInvalid, a.range,
                    fmt::format("'{}' and '{}' cannot be compared", a.field, v.text))
            .note("the kernel compares two uid fields or two gid fields");
        return false;
      }
      rule.fields.push_back({AUDIT_FIELD_COMPARE, a.op, cmp->code, "", a.range});
      return true;
    }
  }
  // The value as auditctl would read it.
  std::string text = v.text;
  if (v.kind == Value::Kind::Name) {
    if (*field == AUDIT_EXIT && tables::errno_number(text)) {
      text = "-" + text;  // "exit == EACCES" means the syscall failed with EACCES
    } else if (auto sym = argument_symbol(text)) {
      text = std::to_string(*sym);
    } else if (v.negative) {
      text = "-" + text;
    }
  } else if (v.negative) {
    text = "-" + text;
  }
  FieldContext ctx{rule.list, syscalls_given, options_.host};
  auto f =
      parse_field_pair(a.field + std::string(ir::op_symbol(a.op)) + text, a.range, ctx, diags_);
  if (!f) return false;
  if (f->id == AUDIT_FILTERKEY) {
    rule.keys.push_back(f->text);
    return true;
  }
  rule.fields.push_back(std::move(*f));
  return true;
}

// A size as Auditbeat's parser (go-humanize ParseBytes) reads it: a number, optional
// blanks, an optional unit.
bool valid_size(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  std::string unit;
  for (; i < s.size(); ++i)
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  static const std::set<std::string> kUnits = {
      "",    "b", "k",  "kb", "ki",  "kib", "m",  "mb", "mi",  "mib", "g",  "gb", "gi",
      "gib", "t", "tb", "ti", "tib", "p",   "pb", "pi", "pib", "e",   "eb", "ei", "eib"};
  return kUnits.count(unit) != 0;
}

bool Lowering::add_integrity(const policy::RuleDecl& d, const std::string& path, bool dir) {
  ir::IntegrityWatch w;
  w.path = path;
  w.recursive = dir;
  w.origin = ir::Origin::at(d.range);
  w.origin.policy_rule = d.name;
  static const std::set<std::string> kHashes = {
      "blake2b_256", "blake2b_384", "blake2b_512", "md5",        "sha1",       "sha224",
      "sha256",      "sha384",      "sha512",      "sha512_224", "sha512_256", "sha3_224",
      "sha3_256",    "sha3_384",    "sha3_512",    "xxh64"};
  bool ok = true;
  for (const policy::Setting& st : *d.integrity) {
    auto bad = [&](std::string why) {
      diags_.report(Kind::SemanticPolicyProperty, st.range, std::move(why));
      ok = false;
    };
    auto strings = [&]() {
      std::vector<std::string> out;
      for (const Value& v : st.values) out.push_back(v.text);
      return out;
    };
    if (st.name == "recursive") {
      if (st.values.size() != 1 || (st.values[0].text != "true" && st.values[0].text != "false")) {
        bad("recursive takes true or false");
      } else {
        w.recursive = st.values[0].text == "true";
      }
    } else if (st.name == "exclude") {
      w.exclude_files = strings();
    } else if (st.name == "include") {
      w.include_files = strings();
    } else if (st.name == "hash") {
      for (std::string h : strings()) {
        for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!kHashes.count(h)) {
          bad(fmt::format("hash type '{}' is not one Auditbeat knows", h));
        } else {
          w.hash_types.push_back(h);
        }
      }
    } else if (st.name == "max_size" || st.name == "scan_rate") {
      if (st.values.size() != 1 || !valid_size(st.values[0].text)) {
        bad(fmt::format("{} takes a size such as \"100 MiB\"", st.name));
      } else {
        (st.name == "max_size" ? w.max_file_size : w.scan_rate_per_sec) = st.values[0].text;
      }
    } else {
      bad(fmt::format("unknown integrity setting '{}'", st.name));
    }
  }
  if (ok) out_.integrity.push_back(std::move(w));
  return ok;
}

std::vector<tables::Machine> Lowering::abis_for(const policy::RuleDecl& d) {
  if (d.arches.empty()) return target_abis_;
  if (d.arches.size() == 1 && d.arches[0].first == "none") return {};
  std::vector<tables::Machine> out;
  for (const auto& [name, range] : d.arches) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::optional<uint32_t> arch = parse_arch(lower, options_.host);
    auto m = arch ? tables::arch_to_machine(*arch) : std::nullopt;
    if (!m) {
      diags_.report(Kind::ArchUnknown, range, fmt::format("unknown arch '{}'", name));
      continue;
    }
    out.push_back(*m);
  }
  return out;
}

// "filter NAME { syscalls ... message TYPE regex "..." }": one go-audit filter per syscall
// number across the target ABIs.
void Lowering::lower_filter(const policy::RuleDecl& d) {
  if (!d.message || !d.regex || d.syscalls.empty()) {
    diags_.report(Kind::SemanticPolicyProperty, d.range,
                  "a filter needs 'syscalls', 'message' (a record type) and 'regex'");
    return;
  }
  auto type = tables::msg_type(d.message->first);
  if (!type) {
    diags_.report(Kind::SemanticPolicyProperty, d.message->second,
                  fmt::format("unknown record type '{}'", d.message->first));
    return;
  }
  std::set<uint32_t> seen;
  for (tables::Machine m : abis_for(d)) {
    for (const Value& sc : d.syscalls) {
      auto nr = tables::syscall_number(sc.text, m);
      if (!nr) {
        diags_.report(Kind::ArchSyscallAbsent, sc.range,
                      fmt::format("syscall '{}' does not exist on {}; dropped there", sc.text,
                                  tables::machine_name(m).value_or("?")));
        continue;
      }
      if (!seen.insert(*nr).second) continue;
      ir::GoAuditFilter f;
      f.syscall = *nr;
      f.message_type = *type;
      f.regex = *d.regex;
      f.origin = ir::Origin::at(d.range);
      f.origin.policy_rule = d.name;
      out_.go_audit_filters.push_back(std::move(f));
    }
  }
}

void Lowering::lower_rule(const policy::RuleDecl& d) {
  if (d.kind == "filter") {
    lower_filter(d);
    return;
  }
  if (d.message || d.regex) {
    diags_.report(Kind::SemanticPolicyProperty, d.range, "'message' and 'regex' belong to filters");
    return;
  }
  ir::Rule base;
  base.origin.range = d.range;
  base.origin.policy_rule = d.name;
  base.origin.description = d.description;
  base.origin.severity = d.severity;
  base.origin.tags = d.tags;
  if (!d.severity.empty() && d.severity != "low" && d.severity != "medium" &&
      d.severity != "high" && d.severity != "critical") {
    diags_.report(
        Kind::SemanticPolicyProperty, d.range,
        fmt::format("severity must be low, medium, high or critical, not '{}'", d.severity));
    return;
  }
  base.action = ir::Action::Always;
  if (d.kind == "never") base.action = ir::Action::Never;
  if (d.kind == "exclude") base.list = ir::List::Exclude;
  if (d.kind == "user") base.list = ir::List::User;
  if (d.kind == "task") base.list = ir::List::Task;
  if (d.kind == "filesystem") {
    base.list = ir::List::Filesystem;
    base.action = ir::Action::Never;
  }
  if (d.action) {
    if (d.action->first == "always") {
      base.action = ir::Action::Always;
    } else if (d.action->first == "never") {
      base.action = ir::Action::Never;
    } else {
      diags_.report(Kind::SemanticPolicyProperty, d.action->second,
                    fmt::format("action must be 'always' or 'never', not '{}'", d.action->first));
      return;
    }
  }
  bool is_watch = d.kind == "watch";
  if (is_watch) {
    if (!d.argument || d.argument->empty() || (*d.argument)[0] != '/') {
      diags_.report(Kind::SemanticWatchPath, d.argument ? d.argument_range : d.name_range,
                    "a watch needs an absolute path after its name: watch NAME \"/path\"");
      return;
    }
    // A trailing slash asks for a directory (dir=, the whole tree); otherwise path=. The
    // choice is written, not guessed from the compiling host's files.
    std::string path = *d.argument;
    bool dir = path.size() > 1 && path.back() == '/';
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    base.fields.push_back({dir ? uint32_t{AUDIT_DIR} : uint32_t{AUDIT_WATCH}, ir::Op::Equal,
                           static_cast<uint32_t>(path.size()), path, d.argument_range});
    uint32_t bits = 0;
    static const std::map<std::string, uint32_t> kPerms = {
        {"read", AUDIT_PERM_READ}, {"write", AUDIT_PERM_WRITE}, {"exec", AUDIT_PERM_EXEC},
        {"attr", AUDIT_PERM_ATTR}, {"r", AUDIT_PERM_READ},      {"w", AUDIT_PERM_WRITE},
        {"x", AUDIT_PERM_EXEC},    {"a", AUDIT_PERM_ATTR}};
    for (const auto& [p, range] : d.perms) {
      auto it = kPerms.find(p);
      if (it == kPerms.end()) {
        diags_.report(Kind::SemanticBadPerm, range,
                      fmt::format("permission '{}' is not read, write, exec or attr", p));
        return;
      }
      bits |= it->second;
    }
    if (bits == 0) bits = AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;
    base.fields.push_back({AUDIT_PERM, ir::Op::Equal, bits, "", d.range});
    base.form = ir::RuleForm::Watch;
    if (d.integrity && !add_integrity(d, path, dir)) return;
  } else if (!d.perms.empty()) {
    diags_.report(Kind::SemanticPolicyProperty, d.perms.front().second,
                  "'perm' belongs to watch rules; use 'where perm == ...' elsewhere");
    return;
  } else if (d.integrity) {
    diags_.report(Kind::SemanticPolicyProperty, d.integrity_range,
                  "'integrity' belongs to watch rules");
    return;
  }

  std::vector<Conjunction> conjunctions{{}};
  if (d.where) {
    auto expanded = dnf(*d.where, false, 0);
    limit_reported_ = false;
    if (!expanded) return;
    conjunctions = std::move(*expanded);
  }
  bool has_syscalls = !d.syscalls.empty();
  if (has_syscalls && base.list != ir::List::Exit) {
    diags_.report(Kind::SemanticSyscallOnList, d.syscalls.front().range,
                  fmt::format("'{}' rules take no syscalls", d.kind));
    return;
  }
  bool all_syscalls = has_syscalls && d.syscalls.size() == 1 && d.syscalls[0].text == "all";
  // Rules without named syscalls match every syscall on every ABI: one arch-less rule.
  std::vector<std::optional<tables::Machine>> abis;
  bool arch_none = d.arches.size() == 1 && d.arches[0].first == "none";
  if (arch_none) {
    // `arch none`: one rule without an arch field, syscall numbers from the host's table
    // (what a classic rule without -F arch= does).
    abis.push_back(std::nullopt);
  } else if (has_syscalls && !all_syscalls) {
    for (tables::Machine m : abis_for(d)) abis.push_back(m);
  } else if (!d.arches.empty()) {
    for (tables::Machine m : abis_for(d)) abis.push_back(m);
  } else {
    abis.push_back(std::nullopt);
  }
  if (abis.size() * conjunctions.size() > options_.expansion_limit) {
    diags_.report(Kind::SemanticExpansionLimit, d.range,
                  fmt::format("rule '{}' expands to {} kernel rules ({} ABIs x {} branches); the "
                              "limit is {}",
                              d.name, abis.size() * conjunctions.size(), abis.size(),
                              conjunctions.size(), options_.expansion_limit));
    return;
  }
  for (const std::optional<tables::Machine>& abi : abis) {
    ir::Rule per_abi = base;
    if (abi) {
      uint32_t arch = *tables::machine_to_arch(*abi);
      per_abi.fields.insert(per_abi.fields.begin(), {AUDIT_ARCH, ir::Op::Equal, arch, "", d.range});
      per_abi.machine = static_cast<uint32_t>(*abi);
    } else {
      per_abi.machine = static_cast<uint32_t>(options_.host);
    }
    if (has_syscalls) {
      per_abi.syscalls_given = true;
      for (const Value& sc : d.syscalls) {
        if (sc.text == "all") {
          per_abi.mask.set_all();
          continue;
        }
        tables::Machine m = abi.value_or(options_.host);
        std::optional<uint32_t> nr = tables::syscall_number(sc.text, m);
        if (sc.kind == Value::Kind::Number) {
          uint32_t n = c_number(sc.text);
          if (n < ir::SyscallMask::kMaxSyscall) nr = n;
        }
        if (!nr) {
          if (!tables::syscall_number(sc.text, tables::host_machine()) && abis.size() == 1) {
            diags_.report(Kind::ArchUnknownSyscall, sc.range,
                          fmt::format("unknown syscall '{}'", sc.text));
            return;
          }
          diags_
              .report(Kind::ArchSyscallAbsent, sc.range,
                      fmt::format("syscall '{}' does not exist on {}; dropped there", sc.text,
                                  tables::machine_name(m).value_or("?")))
              .note(d.name_range, fmt::format("in rule '{}'", d.name));
          continue;
        }
        per_abi.mask.set(*nr);
        per_abi.syscalls.push_back({*nr, sc.text, sc.range});
      }
      if (per_abi.syscalls.empty() && !per_abi.mask.all()) continue;  // nothing left here
    } else if (per_abi.list != ir::List::Task) {
      per_abi.mask.set_all();
    }
    for (const Conjunction& c : conjunctions) {
      ir::Rule r = per_abi;
      bool ok = true;
      for (const Atom& a : c) ok = add_atom(r, a, false) && ok;
      if (!ok) return;
      // auditctl 3.0.9 refuses keys on the exclude list; `key ""` asks for none.
      if (r.list != ir::List::Exclude) {
        std::vector<std::string> keys = d.keys.value_or(std::vector<std::string>{d.name});
        if (keys.size() == 1 && keys[0].empty()) keys.clear();
        r.keys.insert(r.keys.begin(), keys.begin(), keys.end());
      }
      out_.statements.emplace_back(std::move(r));
    }
  }
}

void Lowering::add_settings(const policy::Settings& s) {
  for (const policy::Setting& st : s.settings) {
    auto number = [&]() -> std::optional<uint32_t> {
      if (st.values.size() == 1 && st.values[0].kind == Value::Kind::Number)
        return c_number(st.values[0].text);
      diags_.report(Kind::SemanticPolicyProperty, st.range,
                    fmt::format("setting '{}' takes one number", st.name));
      return std::nullopt;
    };
    auto word = [&]() -> std::string {
      return st.values.size() == 1 ? st.values[0].text : std::string();
    };
    auto control = [&](ir::ControlKind k, uint32_t v) {
      out_.statements.emplace_back(ir::Control{k, v, "", ir::Origin::at(st.range)});
    };
    if (st.name == "buffer" || st.name == "backlog_limit") {
      if (auto n = number()) control(ir::ControlKind::BacklogLimit, *n);
    } else if (st.name == "rate" || st.name == "rate_limit") {
      if (auto n = number()) control(ir::ControlKind::RateLimit, *n);
    } else if (st.name == "backlog_wait_time") {
      if (auto n = number()) control(ir::ControlKind::BacklogWaitTime, *n);
    } else if (st.name == "failure") {
      static const std::map<std::string, uint32_t> kModes = {
          {"silent", 0}, {"printk", 1}, {"log", 1}, {"panic", 2}};
      auto it = kModes.find(word());
      if (it == kModes.end()) {
        diags_.report(Kind::SemanticPolicyProperty, st.range,
                      "failure must be silent, printk or panic");
      } else {
        control(ir::ControlKind::FailureMode, it->second);
      }
    } else if (st.name == "enabled") {
      static const std::map<std::string, uint32_t> kEnabled = {
          {"false", 0}, {"true", 1}, {"immutable", 2}};
      auto it = kEnabled.find(word());
      if (it == kEnabled.end()) {
        diags_.report(Kind::SemanticPolicyProperty, st.range,
                      "enabled must be true, false or immutable");
      } else {
        control(ir::ControlKind::Enabled, it->second);
      }
    } else if (st.name == "loginuid") {
      if (word() == "immutable") {
        control(ir::ControlKind::LoginuidImmutable, 1);
      } else {
        diags_.report(Kind::SemanticPolicyProperty, st.range, "write 'loginuid immutable'");
      }
    } else {
      diags_
          .report(Kind::SemanticPolicyProperty, st.range,
                  fmt::format("unknown setting '{}'", st.name))
          .note("settings are buffer, failure, rate, backlog_wait_time, loginuid, enabled");
    }
  }
}

void Lowering::run(const std::vector<const policy::Item*>& items) {
  std::vector<std::string> platforms = options_.arches;
  for (const policy::Item* item : items) {
    if (const auto* t = std::get_if<policy::Target>(item); t && options_.arches.empty()) {
      platforms.clear();
      for (const auto& [name, range] : t->arches) {
        if (platform_abis(name).empty())
          diags_.report(Kind::ArchUnknown, range, fmt::format("unknown arch '{}'", name));
        platforms.push_back(name);
      }
    }
  }
  if (platforms.empty())
    platforms.push_back(std::string(tables::machine_name(options_.host).value_or("x86_64")));
  for (const std::string& p : platforms)
    for (tables::Machine m : platform_abis(p)) target_abis_.push_back(m);

  // Collect definitions in order; overrides replace in place, disables switch off.
  out_.statements.emplace_back(ir::Control{ir::ControlKind::DeleteAll, 0, "", ir::Origin{}});
  for (const policy::Item* item : items) {
    if (const auto* s = std::get_if<policy::Settings>(item)) {
      add_settings(*s);
    } else if (const auto* l = std::get_if<policy::ListDecl>(item)) {
      auto it = lists_.find(l->name);
      if (l->extend) {
        if (it == lists_.end()) {
          diags_.report(Kind::SemanticUnknownName, l->range,
                        fmt::format("no list named '{}' to extend", l->name));
          continue;
        }
        it->second.insert(it->second.end(), l->values.begin(), l->values.end());
      } else if (it != lists_.end()) {
        diags_
            .report(Kind::SemanticDuplicateName, l->range,
                    fmt::format("list '{}' is already defined", l->name))
            .note("use 'extend list' to add values to it");
      } else {
        lists_[l->name] = l->values;
      }
    } else if (const auto* c = std::get_if<policy::ConditionDecl>(item)) {
      if (!conditions_.emplace(c->name, c).second)
        diags_.report(Kind::SemanticDuplicateName, c->range,
                      fmt::format("condition '{}' is already defined", c->name));
    } else if (const auto* d = std::get_if<policy::Disable>(item)) {
      auto it = rule_index_.find(d->name);
      if (it == rule_index_.end()) {
        diags_.report(Kind::SemanticUnknownName, d->range,
                      fmt::format("no rule named '{}' to disable", d->name));
      } else {
        rules_[it->second].disabled = true;
      }
    } else if (const auto* r = std::get_if<policy::RuleDecl>(item)) {
      auto it = rule_index_.find(r->name);
      if (r->override) {
        if (it == rule_index_.end()) {
          diags_.report(Kind::SemanticUnknownName, r->name_range,
                        fmt::format("no rule named '{}' to override", r->name));
        } else {
          rules_[it->second] = {r, false};
        }
      } else if (it != rule_index_.end()) {
        diags_
            .report(Kind::SemanticDuplicateName, r->name_range,
                    fmt::format("rule '{}' is already defined", r->name))
            .note(rules_[it->second].decl->name_range, "first defined here")
            .note("use 'override' to replace it, or 'disable' to switch it off");
      } else {
        rule_index_[r->name] = rules_.size();
        rules_.push_back({r, false});
      }
    }
  }
  for (const RuleEntry& e : rules_)
    if (!e.disabled) lower_rule(*e.decl);
  // The enabled flag goes last, where augenrules puts it.
  std::stable_partition(out_.statements.begin(), out_.statements.end(), [](const ir::Statement& s) {
    const auto* c = std::get_if<ir::Control>(&s);
    return !c || c->kind != ir::ControlKind::Enabled;
  });
}

}  // namespace

std::vector<tables::Machine> platform_abis(std::string_view platform) {
  std::string lower(platform);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto m = tables::machine_from_name(lower);
  if (!m) return {};
  std::vector<tables::Machine> out{*m};
  if (auto compat = tables::compat_machine(*m)) {
    auto has_table = [](tables::Machine x) {
      const auto& all = tables::machines_with_syscalls();
      return std::find(all.begin(), all.end(), x) != all.end();
    };
    if (has_table(*compat)) out.push_back(*compat);
  }
  return out;
}

void lower_policy(const std::vector<const policy::Item*>& items, const PolicyOptions& options,
                  ir::RuleSet& out, diag::DiagnosticSink& diags) {
  Lowering(options, out, diags).run(items);
}

}  // namespace af::sema
