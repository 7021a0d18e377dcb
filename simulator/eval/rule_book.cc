#include "simulator/eval/rule_book.h"

#include <algorithm>
#include <charconv>

#include "compiler/tables/tables.h"

namespace af::sim {
namespace {

constexpr uint32_t kSyscallRecord = 1300;  // AUDIT_SYSCALL

bool lives_in_inode_hash(const ir::Rule& r) {
  for (const ir::Field& f : r.fields)
    if (f.id == AUDIT_WATCH || (f.id == AUDIT_INODE && f.op == ir::Op::Equal)) return true;
  return false;
}

// "gid=27: supplementary groups are not logged" (unknown) or "no: uid=0 (event: uid=1000)".
std::string outcome_text(const ir::Field& field, const FieldResult& r) {
  std::string text = field_text(field);
  if (r.value == Tri::Unknown) {
    text.reserve(text.size() + 2 + r.why.size());
    return text.append(": ").append(r.why);
  }
  return "no: " + text + (r.why.empty() ? std::string() : " (event: " + r.why + ")");
}

std::string undetermined_step(const std::string& why) { return "undetermined: " + why; }

// The facts a field reads (field_match.cc), for FactNeeds.
void add_needs(const ir::Field& f, FactNeeds& n) {
  auto need = [&n](Fact fact) { n.syscall.set(static_cast<size_t>(fact)); };
  auto names = [&] {
    n.paths = n.cwd = true;
    need(Fact::Items);  // a missing PATH record is told by items=
    for (Fact a : {Fact::A0, Fact::A1, Fact::A2, Fact::A3}) need(a);  // dirfd placement
  };
  switch (f.id) {
    case AUDIT_PID:
      need(Fact::Pid);
      break;
    case AUDIT_UID:
      need(Fact::Uid);
      break;
    case AUDIT_EUID:
      need(Fact::Euid);
      break;
    case AUDIT_SUID:
      need(Fact::Suid);
      break;
    case AUDIT_FSUID:
      need(Fact::Fsuid);
      break;
    case AUDIT_GID:
      need(Fact::Gid);
      break;
    case AUDIT_EGID:
      need(Fact::Egid);
      break;
    case AUDIT_SGID:
      need(Fact::Sgid);
      break;
    case AUDIT_FSGID:
      need(Fact::Fsgid);
      break;
    case AUDIT_LOGINUID:
    case AUDIT_LOGINUID_SET:
      need(Fact::Auid);
      break;
    case AUDIT_SESSIONID:
      need(Fact::Ses);
      break;
    case AUDIT_PERS:
      need(Fact::Items);
      break;  // per= comes before items=
    case AUDIT_PPID:
      need(Fact::Ppid);
      break;
    case AUDIT_ARG0:
      need(Fact::A0);
      break;
    case AUDIT_ARG1:
      need(Fact::A1);
      break;
    case AUDIT_ARG2:
      need(Fact::A2);
      break;
    case AUDIT_ARG3:
      need(Fact::A3);
      break;
    case AUDIT_EXIT:
      need(Fact::Exit);
      break;
    case AUDIT_SUCCESS:
      need(Fact::Success);
      break;
    case AUDIT_EXE:
      need(Fact::Exe);
      break;
    case AUDIT_SUBJ_USER:
    case AUDIT_SUBJ_ROLE:
    case AUDIT_SUBJ_TYPE:
    case AUDIT_SUBJ_SEN:
    case AUDIT_SUBJ_CLR:
      need(Fact::Subj);
      break;
    case AUDIT_PERM:
      for (Fact a : {Fact::A0, Fact::A1, Fact::A2}) need(a);
      n.openat2 = true;
      break;
    case AUDIT_SADDR_FAM:
      n.sockaddr = true;
      break;
    case AUDIT_FIELD_COMPARE:
      // Every id the comparisons use, and the names for obj_uid/obj_gid.
      for (Fact id : {Fact::Uid, Fact::Euid, Fact::Suid, Fact::Fsuid, Fact::Gid, Fact::Egid,
                      Fact::Sgid, Fact::Fsgid, Fact::Auid})
        need(id);
      names();
      break;
    case AUDIT_DEVMAJOR:
    case AUDIT_DEVMINOR:
    case AUDIT_INODE:
    case AUDIT_WATCH:
    case AUDIT_DIR:
    case AUDIT_FILETYPE:
    case AUDIT_OBJ_UID:
    case AUDIT_OBJ_GID:
    case AUDIT_OBJ_USER:
    case AUDIT_OBJ_ROLE:
    case AUDIT_OBJ_TYPE:
    case AUDIT_OBJ_LEV_LOW:
    case AUDIT_OBJ_LEV_HIGH:
      names();
      break;
    default:
      break;
  }
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Fired:
      return "fired";
    case Verdict::Suppressed:
      return "suppressed";
    case Verdict::Unmatched:
      return "unmatched";
    case Verdict::Undetermined:
      return "undetermined";
  }
  return "?";
}

RuleBook::RuleBook(std::vector<ir::Rule> rules) : rules_(std::move(rules)) {
  is_watch_.resize(rules_.size());
  // Watched paths and trees compare with names normalised the same way.
  for (ir::Rule& r : rules_)
    for (ir::Field& f : r.fields)
      if (f.id == AUDIT_WATCH || f.id == AUDIT_DIR) f.text = resolve_path(f.text, "/");
  for (Fact always : {Fact::Arch, Fact::Syscall}) needs_.syscall.set(static_cast<size_t>(always));
  every_syscall_needs_ = needs_;
  for (const ir::Rule& r : rules_)
    for (const ir::Field& f : r.fields) {
      add_needs(f, needs_);
      if (r.list == ir::List::Task || r.list == ir::List::Exclude)
        add_needs(f, every_syscall_needs_);
    }
  keys_.reserve(rules_.size());
  for (const ir::Rule& r : rules_) keys_.push_back(r.joined_key());
  fast_.reserve(rules_.size());
  for (const ir::Rule& r : rules_) fast_.push_back(compile_fast(r));
  priority_.resize(rules_.size());
  for (uint32_t i = 0; i < rules_.size(); ++i) {
    const ir::Rule& r = rules_[i];
    switch (r.list) {
      case ir::List::Task:
        task_.push_back(i);
        break;
      case ir::List::Exit:
        priority_[i] = static_cast<uint32_t>(exit_.size());
        is_watch_[i] = lives_in_inode_hash(r);
        if (is_watch_[i]) {
          const ir::Field* path = r.find(AUDIT_WATCH);
          if (path) {
            watch_by_path_[resolve_path(path->text, "/")].push_back(i);
            watch_by_leaf_[std::string(last_component(path->text))].push_back(i);
          } else
            watch_by_inode_.push_back(i);
        }
        exit_.push_back(i);
        break;
      case ir::List::User:
        user_.push_back(i);
        break;
      case ir::List::Exclude:
        exclude_.push_back(i);
        break;
      default:
        break;  // filesystem and io_uring lists do not decide recorded syscalls
    }
  }
}

const RuleBook::Candidates& RuleBook::candidates(uint32_t arch, uint32_t syscall) {
  uint64_t key = static_cast<uint64_t>(arch) << 32 | syscall;
  RecentCandidates& slot = recent_.slots[(syscall ^ (arch >> 8)) % recent_.slots.size()];
  if (slot.key == key) return *slot.candidates;
  auto it = index_.find(key);
  if (it != index_.end()) {
    slot = {key, &it->second};
    return it->second;
  }
  // Like the kernel's per-list masks: only rules whose mask has the syscall are ever tried.
  // A rule that pins another arch can never match either.
  Candidates c;
  for (uint32_t i : exit_) {
    const ir::Rule& r = rules_[i];
    if (syscall >= ir::SyscallMask::kMaxSyscall || !r.mask.test(syscall)) continue;
    if (auto a = r.arch(); a && *a != arch) continue;
    (is_watch_[i] ? c.watch : c.exit).push_back(i);
    // A rule whose perm= cannot hold for this syscall never matches it (`-w` watches carry
    // perm=rwxa, most -p wa): leaving it out spares the rule and the facts it reads.
    bool live = std::none_of(r.fields.begin(), r.fields.end(), [&](const ir::Field& f) {
      return perm_never_holds(f, arch, syscall);
    });
    if (live) (is_watch_[i] ? c.live_watch : c.live_exit).push_back(i);
  }
  c.index = ExitIndex(c.live_exit, rules_, fast_);
  c.needs = every_syscall_needs_;
  for (const std::vector<uint32_t>* list : {&c.live_exit, &c.live_watch})
    for (uint32_t i : *list)
      for (const ir::Field& f : rules_[i].fields) add_needs(f, c.needs);
  const Candidates* made = &index_.emplace(key, std::move(c)).first->second;
  slot = {key, made};
  return *made;
}

FieldResult RuleBook::match_rule(uint32_t index, const SyscallFacts& facts, const PathItem* name,
                                 FilterContext context, const SlotValues* slots) const {
  const ir::Rule& rule = rules_[index];
  if (slots && !ExplainScope::active()) {
    Tri fast = run_fast(fast_[index], *slots);
    if (fast == Tri::False) return {Tri::False, {}};
    if (fast == Tri::True && fast_[index].complete) return {Tri::True, {}};
  }
  FieldResult unknown{Tri::True, {}};
  for (const ir::Field& field : rule.fields) {
    FieldResult r = match_field(field, facts, name, context);
    if (r.value == Tri::False) {
      if (ExplainScope::active()) r.why = outcome_text(field, r);
      return r;
    }
    if (r.value == Tri::Unknown && unknown.value == Tri::True)
      unknown = {Tri::Unknown, outcome_text(field, r)};
  }
  return unknown;
}

FieldResult RuleBook::match_message_rule(const ir::Rule& rule, uint32_t type,
                                         const SyscallFacts& task, bool& stopped) const {
  FieldResult unknown{Tri::True, {}};
  for (const ir::Field& field : rule.fields) {
    FieldResult r;
    switch (field.id) {
      case AUDIT_MSGTYPE:
        r.value = compare_u32(type, field.op, field.value) ? Tri::True : Tri::False;
        break;
      case AUDIT_PID:
      case AUDIT_UID:
      case AUDIT_LOGINUID:
      case AUDIT_LOGINUID_SET:
      case AUDIT_EXE:
      case AUDIT_SUBJ_USER:
      case AUDIT_SUBJ_ROLE:
      case AUDIT_SUBJ_TYPE:
      case AUDIT_SUBJ_SEN:
      case AUDIT_SUBJ_CLR:
        r = match_field(field, task, nullptr, FilterContext::Message);
        break;
      case AUDIT_GID:  // the primary gid only on these lists
        if (!task.has(Fact::Gid))
          r = {Tri::Unknown, "the record has no gid="};
        else
          r.value = compare_u32(task.gid, field.op, field.value) ? Tri::True : Tri::False;
        break;
      default:
        // audit_filter() does not know this field: it stops and keeps the record.
        stopped = true;
        return {Tri::False,
                "stops the scan: " + field_text(field) + " is not a user/exclude field"};
    }
    if (r.value == Tri::False) return {Tri::False, outcome_text(field, r)};
    if (r.value == Tri::Unknown && unknown.value == Tri::True)
      unknown = {Tri::Unknown, outcome_text(field, r)};
  }
  return unknown;
}

RuleBook::ExcludeResult RuleBook::excluded_by(uint32_t type, const SyscallFacts& task) const {
  ExcludeResult out;
  for (uint32_t i : exclude_) {
    bool stopped = false;
    FieldResult r = match_message_rule(rules_[i], type, task, stopped);
    if (stopped) return out;
    if (r.value == Tri::Unknown) {
      out.unknown = true;
      out.why = "exclude rule " + std::to_string(i + 1) + ": " + r.why;
      out.rule = static_cast<int32_t>(i);
      return out;
    }
    if (r.value == Tri::True) {  // the action does not matter on this list
      out.rule = static_cast<int32_t>(i);
      return out;
    }
  }
  return out;
}

Decision RuleBook::decide_syscall(const SyscallFacts& facts, std::vector<ExplainStep>* trace) {
  ExplainScope explaining(trace != nullptr);
  Decision d;
  // The outcome text is only built when someone asked for the trace.
  auto step = [trace](uint32_t rule, auto&& outcome) {
    if (trace) trace->push_back({static_cast<int32_t>(rule), std::string(outcome())});
  };
  auto undetermined = [&d](uint32_t rule, const std::string& why) {
    d.verdict = Verdict::Undetermined;
    d.rule = static_cast<int32_t>(rule);
    char number[16];
    const size_t digits =
        static_cast<size_t>(std::to_chars(number, number + sizeof number, rule + 1).ptr - number);
    d.reason.reserve(5 + digits + 2 + why.size());
    d.reason.append("rule ").append(number, digits).append(": ").append(why);
    return d;
  };
  // 1. Task list, evaluated when the process was forked (approximated with the credentials
  //    the event shows). `never` means the process was never audited; `always` records every
  //    syscall with that key and outranks every exit rule.
  for (uint32_t i : task_) {
    FieldResult r = match_rule(i, facts, nullptr, FilterContext::Task);
    if (r.value == Tri::False) {
      step(i, [&] { return r.why; });
      continue;
    }
    if (r.value == Tri::Unknown) {
      step(i, [&] { return undetermined_step(r.why); });
      return undetermined(i, r.why);
    }
    step(i, [&] { return "matched"; });
    d.rule = static_cast<int32_t>(i);
    d.key = keys_[i];
    d.verdict = rules_[i].action == ir::Action::Never ? Verdict::Suppressed : Verdict::Fired;
    if (d.verdict == Verdict::Suppressed)
      d.reason = "the task list's never rule turns auditing off for this process";
    d.logged = d.verdict == Verdict::Fired;
    return d;
  }
  if (!facts.has(Fact::Syscall) || !facts.has(Fact::Arch)) {
    d.verdict = Verdict::Undetermined;
    d.reason = "the SYSCALL record has no arch= or syscall=";
    return d;
  }
  const Candidates& c = candidates(facts.arch, facts.syscall);
  SlotValues slots;
  fill_slots(facts, slots);
  // 2. Exit list: the first matching rule decides and sets the priority.
  int32_t exit_match = -1;
  // --explain tries every rule whose mask has the syscall; the rules a perm= field rules out
  // are false there too, so the verdict is the same either way.
  const std::vector<uint32_t>* exit_rules = trace ? &c.exit : &c.live_exit;
  if (!trace && c.index.worthwhile()) {
    c.index.select(facts, slots, selected_);
    exit_rules = &selected_;
  }
  for (uint32_t i : *exit_rules) {
    FieldResult r = match_rule(i, facts, nullptr, FilterContext::Exit, &slots);
    if (r.value == Tri::False) {
      step(i, [&] { return r.why; });
      continue;
    }
    if (r.value == Tri::Unknown) {
      step(i, [&] { return undetermined_step(r.why); });
      return undetermined(i, r.why);
    }
    step(i, [&] { return "matched"; });
    exit_match = static_cast<int32_t>(i);
    d.key = keys_[i];
    break;
  }
  // 3. Inode pass: names in item order; a watch counts only if it ranks above the exit
  //    match, and the first that matches stops the pass.
  int32_t decider = exit_match;
  uint32_t bar = exit_match >= 0 ? priority_[exit_match] : UINT32_MAX;
  const std::vector<uint32_t>* all = trace ? &c.watch : &c.live_watch;
  bool any_watch = false;
  for (uint32_t i : *all)
    if (priority_[i] < bar) any_watch = true;
  if (any_watch && facts.paths.empty() && facts.items > 0) {
    // Watches a perm= field rules out need no names.
    for (uint32_t i : c.live_watch)
      if (priority_[i] < bar)
        return undetermined(
            i, "the event has no PATH records for its " + std::to_string(facts.items) + " items");
  }
  if (any_watch) {
    for (const PathItem& name : facts.paths) {
      // Like the kernel's hash bucket: only watches on this name can match it; a name the
      // log cannot place can only match watches on a file of the same name. The full scan
      // stays for inode= rules and --explain.
      const std::vector<uint32_t>* bucket = all;
      if (!trace && watch_by_inode_.empty()) {
        if (!name.has_inode) continue;
        const bool placed = name_is_placed(facts, name);
        const auto& by_name = placed ? watch_by_path_ : watch_by_leaf_;
        auto hit =
            by_name.find(placed ? std::string_view(name.resolved) : last_component(name.name));
        if (hit == by_name.end()) continue;
        bucket = &hit->second;
      }
      for (uint32_t i : *bucket) {
        if (priority_[i] >= bar) continue;
        if (bucket != all) {
          const ir::Rule& r = rules_[i];
          if (facts.syscall >= ir::SyscallMask::kMaxSyscall || !r.mask.test(facts.syscall))
            continue;
          if (auto a = r.arch(); a && *a != facts.arch) continue;
        }
        FieldResult r = match_rule(i, facts, &name, FilterContext::Exit, &slots);
        if (r.value == Tri::Unknown) {
          step(i, [&] { return undetermined_step(r.why); });
          return undetermined(i, r.why);
        }
        if (r.value == Tri::True) {
          step(i, [&] { return "matched (item " + std::to_string(name.item) + ")"; });
          decider = static_cast<int32_t>(i);
          if (!rules_[i].keys.empty()) d.key = keys_[i];
          goto decided;
        }
        step(i, [&] { return "item " + std::to_string(name.item) + ": " + r.why; });
      }
    }
  }
decided:
  if (decider < 0) {
    d.verdict = Verdict::Unmatched;
    // Another subsystem's record in the syscall (AVC, LOGIN, ...) forces the SYSCALL record.
    d.logged = !facts.forcing_record.empty();
    if (d.logged)
      d.reason = "logged anyway: the " + facts.forcing_record + " record forces a SYSCALL record";
  } else {
    d.rule = decider;
    d.verdict = rules_[decider].action == ir::Action::Never ? Verdict::Suppressed : Verdict::Fired;
    d.logged = d.verdict == Verdict::Fired;
  }
  // 4. The exclude list drops the SYSCALL record itself (per record, whatever its action).
  if (d.logged && !exclude_.empty()) {
    ExcludeResult x = excluded_by(kSyscallRecord, facts);
    if (x.unknown) return undetermined(static_cast<uint32_t>(x.rule), x.why);
    if (x.rule >= 0) {
      step(static_cast<uint32_t>(x.rule),
           [&] { return "matched: the exclude list drops the SYSCALL record"; });
      d.verdict = Verdict::Suppressed;
      d.rule = x.rule;
      d.logged = false;
      d.reason = "the exclude list drops the SYSCALL record";
    }
  }
  return d;
}

Decision RuleBook::decide_user_message(uint32_t type, const SyscallFacts& sender) {
  Decision d;
  d.logged = true;
  for (uint32_t i : user_) {
    bool stopped = false;
    FieldResult r = match_message_rule(rules_[i], type, sender, stopped);
    if (stopped) break;
    if (r.value == Tri::Unknown) {
      d.verdict = Verdict::Undetermined;
      d.rule = static_cast<int32_t>(i);
      d.reason = "rule " + std::to_string(i + 1) + ": " + r.why;
      d.logged = false;
      return d;
    }
    if (r.value == Tri::True) {
      d.rule = static_cast<int32_t>(i);
      d.verdict = rules_[i].action == ir::Action::Never ? Verdict::Suppressed : Verdict::Fired;
      d.logged = d.verdict == Verdict::Fired;
      break;
    }
  }
  if (d.logged) apply_exclude(type, sender, d);
  return d;
}

Decision RuleBook::decide_other_record(uint32_t type, const SyscallFacts& task) const {
  Decision d;
  d.logged = true;
  apply_exclude(type, task, d);
  return d;
}

void RuleBook::apply_exclude(uint32_t type, const SyscallFacts& task, Decision& d) const {
  if (exclude_.empty()) return;
  ExcludeResult x = excluded_by(type, task);
  if (x.unknown) {
    d.verdict = Verdict::Undetermined;
    d.rule = x.rule;
    d.reason = x.why;
    d.logged = false;
  } else if (x.rule >= 0) {
    d.verdict = Verdict::Suppressed;
    d.rule = x.rule;
    d.reason = "the exclude list drops the record";
    d.logged = false;
  }
}

}  // namespace af::sim
