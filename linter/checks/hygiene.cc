// Hygiene checks: keys, control settings, and rules that say one thing twice.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "compiler/emit/rule_text.h"
#include "linter/check_context.h"
#include "linter/constraints.h"

namespace af::lint {
namespace {

template <typename F>
void for_each_control(const CheckContext& ctx, F&& f) {
  for (const ir::Statement& s : ctx.set.statements)
    if (const ir::Control* c = std::get_if<ir::Control>(&s)) f(*c);
}

// "-D" with no key filter, written in a file that also loads always rules: the file replaces
// the whole rule set, so it is complete. (Policy files start with an implicit -D that has no
// location; base-config fragments and "stop" files have -D but audit nothing.)
const ir::Control* delete_all(const CheckContext& ctx) {
  bool audits = std::any_of(ctx.kernel.begin(), ctx.kernel.end(),
                            [](const ir::Rule& r) { return r.action == ir::Action::Always; });
  if (!audits) return nullptr;
  const ir::Control* found = nullptr;
  for_each_control(ctx, [&](const ir::Control& c) {
    if (!found && c.kind == ir::ControlKind::DeleteAll && c.text.empty() && c.origin.range.valid())
      found = &c;
  });
  return found;
}

}  // namespace

// hygiene-unknown-suppression is reported by the driver, which reads the suppression comments
// (linter.cc, suppress); its registry line needs a runner all the same.
void check_nothing(const CheckContext&, Reporter&) {}

void check_backlog_missing(const CheckContext& ctx, Reporter& out) {
  const ir::Control* d = delete_all(ctx);
  if (!d) return;
  bool backlog = false;
  for_each_control(
      ctx, [&](const ir::Control& c) { backlog |= c.kind == ir::ControlKind::BacklogLimit; });
  if (backlog) return;
  out.report(CheckId::HygieneBacklogMissing, d->origin.range,
             "the rule set replaces all rules (-D) but never sets the backlog (-b); the "
             "kernel's default of 64 records overflows under load");
}

void check_immutable_missing(const CheckContext& ctx, Reporter& out) {
  const ir::Control* d = delete_all(ctx);
  if (!d) return;
  bool locked = false;
  for_each_control(ctx, [&](const ir::Control& c) {
    locked |= c.kind == ir::ControlKind::Enabled && c.value == 2;
  });
  if (locked) return;
  Finding& f = out.report(CheckId::HygieneImmutableMissing, d->origin.range,
                          "the rule set replaces all rules (-D) but does not end with '-e 2', "
                          "so the rules can be changed until the next reboot");
  f.notes.push_back({{}, "end the last file with '-e 2' if nothing should change them"});
}

void check_delete_all_not_first(const CheckContext& ctx, Reporter& out) {
  size_t rules = 0;
  for (const ir::Statement& s : ctx.set.statements) {
    if (const ir::Rule* r = std::get_if<ir::Rule>(&s)) {
      rules += r->is_delete() ? 0 : 1;
    } else if (const ir::Control* c = std::get_if<ir::Control>(&s)) {
      if (c->kind != ir::ControlKind::DeleteAll || !c->text.empty() || rules == 0) continue;
      out.report(CheckId::HygieneDeleteAllNotFirst, c->origin.range,
                 fmt::format("'-D' deletes the {} rule{} before it", rules, rules == 1 ? "" : "s"));
    }
  }
}

void check_duplicate_syscall(const CheckContext& ctx, Reporter& out) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    for (size_t i = 1; i < r.syscalls.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (r.syscalls[j].number == r.syscalls[i].number) {
          Finding& f = out.report(CheckId::HygieneDuplicateSyscall, r, r.syscalls[i].range,
                                  fmt::format("syscall '{}' is already named on this rule",
                                              syscall_label(r, r.syscalls[i].number)));
          f.notes.push_back({r.syscalls[j].range, "first named here"});
          break;
        }
  });
}

void check_failure_panic(const CheckContext& ctx, Reporter& out) {
  for_each_control(ctx, [&](const ir::Control& c) {
    if (c.kind == ir::ControlKind::FailureMode && c.value == 2)
      out.report(CheckId::HygieneFailurePanic, c.origin.range,
                 "'-f 2' makes the kernel panic when audit records are lost (backlog full, "
                 "auditd gone)");
  });
}

void check_ignore_errors(const CheckContext& ctx, Reporter& out) {
  for_each_control(ctx, [&](const ir::Control& c) {
    if (c.kind != ir::ControlKind::ContinueOnError && c.kind != ir::ControlKind::IgnoreErrors)
      return;
    out.report(CheckId::HygieneIgnoreErrors, c.origin.range,
               fmt::format("'{}' lets auditctl carry on past rules the kernel refused, so a "
                           "broken rule loads silently",
                           c.kind == ir::ControlKind::ContinueOnError ? "-c" : "-i"));
  });
}

void check_key_style(const CheckContext& ctx, Reporter& out) {
  struct Key {
    const ir::Rule* rule;
    bool underscore, hyphen, upper;
  };
  std::map<std::string, Key> keys;
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (r.is_delete()) return;
    for (const std::string& k : r.keys) {
      if (keys.count(k)) continue;
      bool upper = std::any_of(k.begin(), k.end(),
                               [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
      keys.emplace(
          k, Key{&r, k.find('_') != std::string::npos, k.find('-') != std::string::npos, upper});
    }
  });
  size_t underscore = 0, hyphen = 0, upper = 0;
  for (const auto& [k, s] : keys) {
    underscore += s.underscore && !s.hyphen;
    hyphen += s.hyphen && !s.underscore;
    upper += s.upper;
  }
  // A style is the house style when at least 4 keys and three quarters of them use it.
  auto dominant = [](size_t mine, size_t total) { return total >= 4 && mine * 4 >= total * 3; };
  size_t separated = underscore + hyphen;
  bool want_underscore = dominant(underscore, separated);
  bool want_hyphen = dominant(hyphen, separated);
  bool want_lower = dominant(keys.size() - upper, keys.size());
  for (const auto& [k, s] : keys) {
    std::vector<std::string> why;
    if (want_underscore && s.hyphen)
      why.push_back(fmt::format("'-' where {} of {} keys use '_'", underscore, separated));
    if (want_hyphen && s.underscore)
      why.push_back(fmt::format("'_' where {} of {} keys use '-'", hyphen, separated));
    if (want_lower && s.upper)
      why.push_back(fmt::format("capitals where {} of {} keys are lower-case", keys.size() - upper,
                                keys.size()));
    if (why.empty()) continue;
    out.report(CheckId::HygieneKeyStyle, *s.rule, s.rule->key_range,
               fmt::format("key '{}' is spelled differently from the others: {}", k,
                           fmt::join(why, "; ")));
  }
}

void check_mergeable_rules(const CheckContext& ctx, Reporter& out) {
  auto mergeable = [](const ir::Rule& a, const ir::Rule& b) {
    return a.form == ir::RuleForm::Append && b.form == ir::RuleForm::Append && a.list == b.list &&
           a.action == b.action && a.syscalls_given && b.syscalls_given && !a.mask.all() &&
           !b.mask.all() && !(a.mask == b.mask) && a.fields == b.fields && a.keys == b.keys &&
           !is_watch(a);
  };
  std::vector<const ir::Rule*> run;
  auto flush = [&] {
    if (run.size() >= 2) {
      std::vector<std::string> names;
      for (const ir::Rule* r : run)
        for (const std::string& n : syscall_names(*r))
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      Finding& f = out.report(
          CheckId::HygieneMergeableRules, *run.front(), run.front()->origin.range,
          fmt::format("this rule and the next {} differ only in their syscalls; one rule with "
                      "'-S {}' does the same",
                      run.size() - 1, fmt::join(names, ",")));
      f.notes.push_back({run.back()->origin.range, "the last rule of the run"});
      bool fixable = std::all_of(run.begin(), run.end(),
                                 [&](const ir::Rule* r) { return fixable_line(*r, ctx.sources); });
      if (fixable) {
        ir::Rule merged = *run.front();
        for (const ir::Rule* r : run) {
          for (uint32_t w = 0; w < ir::SyscallMask::kWords; ++w)
            merged.mask.words[w] |= r->mask.words[w];
          if (r != run.front())
            merged.syscalls.insert(merged.syscalls.end(), r->syscalls.begin(), r->syscalls.end());
        }
        f.fixes.push_back({run.front()->origin.range, emit::rule_text(merged) + "\n", true});
        for (size_t i = 1; i < run.size(); ++i) f.fixes.push_back({run[i]->origin.range, "", true});
      }
    }
    run.clear();
  };
  for (const ir::Statement& s : ctx.set.statements) {
    if (std::holds_alternative<ir::Comment>(s)) continue;
    const ir::Rule* r = std::get_if<ir::Rule>(&s);
    if (!r) {
      flush();
      continue;
    }
    if (!run.empty() && !mergeable(*run.back(), *r)) flush();
    run.push_back(r);
  }
  flush();
}

void check_missing_key(const CheckContext& ctx, Reporter& out) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (r.is_delete() || r.list != ir::List::Exit || r.action != ir::Action::Always) return;
    if (!r.keys.empty()) return;
    Finding& f = out.report(CheckId::HygieneMissingKey, r, r.origin.range,
                            "rule has no key, so its events are logged with key=(null)");
    f.notes.push_back({{}, "add '-k NAME' so that ausearch -k can find them"});
  });
}

void check_redundant_condition(const CheckContext& ctx, Reporter& out) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    size_t n = r.fields.size();
    std::vector<bool> redundant(n, false);
    // The same condition written twice: the later copy is the redundant one.
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < i && !redundant[i]; ++j)
        redundant[i] = !redundant[j] && r.fields[j] == r.fields[i];
    // A condition implied by the others on its field; from the last, so that of two
    // conditions implying each other the later one is reported.
    for (size_t i = n; i-- > 0;) {
      const ir::Field& f = r.fields[i];
      if (redundant[i] || field_shape(f) != FieldShape::Scalar) continue;
      ValueSet others = ValueSet::all();
      bool any = false;
      for (size_t j = 0; j < n; ++j) {
        if (j == i || redundant[j] || r.fields[j].id != f.id) continue;
        if (field_shape(r.fields[j]) != FieldShape::Scalar) continue;
        others = others.intersect(values_of(r.fields[j]));
        any = true;
      }
      if (any && !others.empty() && others.subset_of(values_of(f))) redundant[i] = true;
    }
    for (size_t i = 0; i < r.fields.size(); ++i) {
      if (!redundant[i]) continue;
      out.report(CheckId::HygieneRedundantCondition, r, r.fields[i].range,
                 fmt::format("condition on '{}' is implied by the rule's other conditions on it",
                             field_label(r.fields[i].id)));
    }
  });
}

void check_shared_key(const CheckContext& ctx, Reporter& out) {
  std::map<std::string, const ir::Rule*> first;
  std::map<std::string, bool> reported;
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (r.is_delete()) return;
    for (const std::string& k : r.keys) {
      auto [it, added] = first.emplace(k, &r);
      if (added || reported[k]) continue;
      const ir::Rule& a = *it->second;
      if (a.list == r.list && a.action == r.action) continue;
      reported[k] = true;
      Finding& f = out.report(
          CheckId::HygieneSharedKey, r, r.key_range,
          fmt::format("key '{}' is also used by a rule of another {}, so searching for it mixes "
                      "unrelated events",
                      k, a.list != r.list ? "list" : "action"));
      f.notes.push_back({a.origin.range, "first used here"});
    }
  });
}

}  // namespace af::lint
