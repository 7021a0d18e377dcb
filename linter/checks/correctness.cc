// Correctness checks on single rules: conditions that can never hold, unsigned comparisons
// that do not mean what they say, fields a list's evaluator ignores, and rules that switch
// off everything after them. (Order between rules: rule_order.cc.)
#include <fmt/format.h>

#include <algorithm>

#include "compiler/tables/tables.h"
#include "linter/check_context.h"
#include "linter/constraints.h"
#include "simulator/model/syscall_class.h"

namespace af::lint {
namespace {

constexpr uint32_t kUnset = UINT32_MAX;
constexpr uint32_t kSignBit = 0x80000000u;
// Failed syscalls return -4095..-1 (rules-semantics §5.2).
const ValueSet kErrors = ValueSet::of(ir::Op::GreaterEqual, static_cast<uint32_t>(-4095));

bool is_ordering(ir::Op op) {
  return op == ir::Op::Less || op == ir::Op::LessEqual || op == ir::Op::Greater ||
         op == ir::Op::GreaterEqual;
}

template <typename F>
void for_each_added_rule(const CheckContext& ctx, F&& f) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (!r.is_delete()) f(r);
  });
}

std::string written(const ir::Field& f) {
  return fmt::format(
      "{}{}{}", field_label(f.id), ir::op_symbol(f.op),
      f.id == AUDIT_EXIT ? std::to_string(static_cast<int32_t>(f.value)) : std::to_string(f.value));
}

// The same set of 32-bit patterns under signed order, moved to unsigned order by flipping
// the sign bit, so that it can be compared with what the kernel's unsigned compare accepts.
ValueSet flip_sign(const ValueSet& s) {
  std::vector<Interval> out;
  for (const Interval& p : s.parts()) {
    if (p.lo < kSignBit && p.hi >= kSignBit) {
      out.push_back({p.lo ^ kSignBit, UINT32_MAX});
      out.push_back({0, p.hi ^ kSignBit});
    } else {
      out.push_back({p.lo ^ kSignBit, p.hi ^ kSignBit});
    }
  }
  return ValueSet::from(std::move(out));
}

}  // namespace

void check_auid_includes_unset(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    if (r.action != ir::Action::Always || r.list == ir::List::Filesystem) return;
    const ir::Field* lower = nullptr;
    ValueSet auid = ValueSet::all();
    for (const ir::Field& f : r.fields) {
      if (f.id != AUDIT_LOGINUID) continue;
      auid = auid.intersect(values_of(f));
      if (!lower && f.value != kUnset && (f.op == ir::Op::Greater || f.op == ir::Op::GreaterEqual))
        lower = &f;
    }
    if (!lower || !auid.contains(kUnset) || auid.is_all()) return;
    Finding& f =
        out.report(CheckId::CorrectnessAuidIncludesUnset, r, lower->range,
                   fmt::format("'{}' also matches processes that never logged in: an unset auid is "
                               "4294967295",
                               written(*lower)));
    f.notes.push_back({{}, "add '-F auid!=unset' to leave out daemons and boot-time processes"});
    if (!written_value(*lower, ctx.sources).empty())
      f.fixes.push_back(
          {{lower->range.file, lower->range.line, lower->range.end_column, lower->range.end_column},
           " -F auid!=unset"});
  });
}

void check_contradictory_condition(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    Constraints c = constraints_of(r);
    if (!c.contradictory) return;
    std::vector<const ir::Field*> fields;
    for (const ir::Field& f : r.fields)
      if (f.id == c.contradiction_field) fields.push_back(&f);
    // A lone exit<0 is correctness-exit-unsigned's.
    if (c.contradiction_field == AUDIT_EXIT && fields.size() == 1) return;
    Finding& f = out.report(
        CheckId::CorrectnessContradictoryCondition, r, fields.back()->range,
        fmt::format("no value satisfies every condition on '{}', so the rule never matches",
                    field_label(c.contradiction_field)));
    for (size_t i = 0; i + 1 < fields.size(); ++i)
      f.notes.push_back({fields[i]->range, "conflicting condition"});
  });
}

void check_exit_unsigned(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    const ir::Field* first = nullptr;
    ValueSet kernel = ValueSet::all(), meant = ValueSet::all();
    for (const ir::Field& f : r.fields) {
      if (f.id != AUDIT_EXIT || !is_ordering(f.op)) continue;
      if (!first) first = &f;
      kernel = kernel.intersect(ValueSet::of(f.op, f.value));
      meant = meant.intersect(ValueSet::of(f.op, f.value ^ kSignBit));
    }
    if (!first) return;
    ValueSet meant_bits = flip_sign(meant);
    if (kernel == meant_bits) return;
    std::string effect;
    if (kernel.empty()) {
      effect = "no value passes, so the rule never matches";
    } else if (!kernel.intersect(kErrors).subset_of(meant_bits.intersect(kErrors))) {
      effect = "errors (-4095..-1) are large unsigned values, so it also matches failed calls";
    } else if (!meant_bits.intersect(kErrors).subset_of(kernel.intersect(kErrors))) {
      effect = "errors (-4095..-1) are large unsigned values, so it misses failed calls";
    } else {
      effect = "it does not match the values a signed comparison would";
    }
    Finding& f =
        out.report(CheckId::CorrectnessExitUnsigned, r, first->range,
                   fmt::format("'{}': the kernel compares exit as an unsigned 32-bit number; {}",
                               written(*first), effect));
    f.notes.push_back({{},
                       "test failures with 'success=0' or 'exit=-ENAME', successes with "
                       "'success=1'"});
  });
}

void check_filter_scan_stops(const CheckContext& ctx, Reporter& out) {
  // audit_filter() in kernel/auditfilter.c evaluates these fields only (§5.11).
  auto understood = [](uint32_t id) {
    switch (id) {
      case AUDIT_PID:
      case AUDIT_UID:
      case AUDIT_GID:
      case AUDIT_LOGINUID:
      case AUDIT_LOGINUID_SET:
      case AUDIT_MSGTYPE:
      case AUDIT_SUBJ_USER:
      case AUDIT_SUBJ_ROLE:
      case AUDIT_SUBJ_TYPE:
      case AUDIT_SUBJ_SEN:
      case AUDIT_SUBJ_CLR:
      case AUDIT_EXE:
        return true;
      default:
        return false;
    }
  };
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    if (r.list != ir::List::User && r.list != ir::List::Exclude) return;
    for (const ir::Field& f : r.fields) {
      if (understood(f.id)) continue;
      Finding& finding = out.report(
          CheckId::CorrectnessFilterScanStops, r, f.range,
          fmt::format("the kernel's {} filter does not evaluate '{}': the scan stops at this "
                      "rule and keeps the {}, so this and every later {} rule never apply",
                      r.list == ir::List::User ? "user" : "exclude", field_label(f.id),
                      r.list == ir::List::User ? "message" : "record",
                      r.list == ir::List::User ? "user" : "exclude"));
      finding.notes.push_back({{}, "only pid, uid, gid, auid, msgtype, subj_* and exe work here"});
      return;
    }
  });
}

void check_list_starved(const CheckContext& ctx, Reporter& out) {
  size_t exit_rules = std::count_if(ctx.kernel.begin(), ctx.kernel.end(), [](const ir::Rule& r) {
    return r.list == ir::List::Exit && r.action == ir::Action::Always;
  });
  for (const ir::Rule& r : ctx.kernel) {
    if (!r.fields.empty()) continue;
    if (r.list == ir::List::Task && r.action == ir::Action::Never && exit_rules > 0) {
      out.report(CheckId::CorrectnessListStarved, r, r.origin.range,
                 fmt::format("'never,task' without conditions: processes started after loading "
                             "get no audit context, so the {} always rule{} of the exit list "
                             "never fire{} for them",
                             exit_rules, exit_rules == 1 ? "" : "s", exit_rules == 1 ? "s" : ""));
    } else if (r.list == ir::List::Exclude) {
      out.report(CheckId::CorrectnessListStarved, r, r.origin.range,
                 "exclude rule without conditions drops every record the kernel emits "
                 "(the exclude list ignores the action)");
    } else if (r.list == ir::List::User && r.action == ir::Action::Never) {
      out.report(CheckId::CorrectnessListStarved, r, r.origin.range,
                 "'never,user' without conditions drops every user-space message (logins, "
                 "sudo, account changes)");
    }
  }
}

void check_perm_syscall_mismatch(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    const ir::Field* perm = r.find(AUDIT_PERM);
    if (!perm || perm->op != ir::Op::Equal || r.mask.all() || !r.syscalls_given) return;
    uint32_t arch = r.arch().value_or(0);
    if (!arch) {
      auto machine = r.machine ? static_cast<tables::Machine>(r.machine) : tables::host_machine();
      arch = tables::machine_to_arch(machine).value_or(0);
    }
    if (!arch) return;
    std::vector<std::string> never;
    for (uint32_t w = 0; w < ir::SyscallMask::kWords; ++w) {
      for (uint32_t b = 0, word = r.mask.words[w]; word; ++b, word >>= 1) {
        if (!(word & 1u)) continue;
        uint32_t nr = w * 32 + b;
        if (!sim::syscall_info(arch, nr).known) continue;
        uint32_t can = perm_bits_possible(arch, nr);
        if (!(can & perm->value)) never.push_back(syscall_label(r, nr));
      }
    }
    if (never.empty()) return;
    Finding& f =
        out.report(CheckId::CorrectnessPermSyscallMismatch, r, perm->range,
                   fmt::format("'perm={}' never matches {}: the kernel classifies {} as neither of "
                               "those accesses",
                               ir::perm_letters(perm->value), fmt::join(never, ", "),
                               never.size() == 1 ? "it" : "them"));
    f.notes.push_back({{},
                       "perm= is decided by the syscall's class and open flags "
                       "(rules-semantics §5.7), not by the syscall list"});
  });
}

void check_result_on_noreturn(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    const ir::Field* result = r.find(AUDIT_EXIT);
    if (!result) result = r.find(AUDIT_SUCCESS);
    if (!result || r.mask.all()) return;
    for (const std::string& name : syscall_names(r)) {
      if (name != "exit" && name != "exit_group") continue;
      out.report(CheckId::CorrectnessResultOnNoreturn, r, result->range,
                 fmt::format("'{}' never returns, so its event has no result and '{}' never "
                             "matches it",
                             name, field_label(result->id)));
      return;
    }
  });
}

}  // namespace af::lint
