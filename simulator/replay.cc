#include "simulator/replay.h"

#include <algorithm>
#include <charconv>

#include "compiler/tables/tables.h"
#include "simulator/model/syscall_class.h"

namespace af::sim {
namespace {

uint32_t type_number(std::string_view type) {
  uint32_t n = 0;
  if (type.starts_with("UNKNOWN[")) {
    std::from_chars(type.data() + 8, type.data() + type.size(), n);
    return n;
  }
  return tables::msg_type(type).value_or(0);
}

// User-space messages relayed by the kernel: AUDIT_FIRST_USER_MSG..AUDIT_LAST_USER_MSG and
// AUDIT_FIRST_USER_MSG2..AUDIT_LAST_USER_MSG2.
bool is_user_message(uint32_t type) {
  return (type >= 1100 && type <= 1199) || (type >= 2100 && type <= 2999);
}

// The sender of a user message as the user/exclude filters see it: pid, uid, auid, ses and
// subj in the body, exe inside msg='...'.
void read_sender(std::string_view body, SyscallFacts& f) {
  f.clear();
  FieldCursor cursor(body);
  std::string_view name, value;
  auto number = [&](Fact fact, uint32_t& out) {
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec == std::errc() && end == value.data() + value.size())
      f.have.set(static_cast<size_t>(fact));
  };
  std::string scratch;
  while (cursor.next(name, value)) {
    if (name == "pid")
      number(Fact::Pid, f.pid);
    else if (name == "uid")
      number(Fact::Uid, f.uid);
    else if (name == "auid")
      number(Fact::Auid, f.auid);
    else if (name == "ses")
      number(Fact::Ses, f.ses);
    else if (name == "subj") {
      f.subj.assign(value);
      f.have.set(static_cast<size_t>(Fact::Subj));
    } else if (name == "msg" && value.size() >= 2 && value.front() == '\'') {
      FieldCursor inner(value.substr(1, value.size() - 2));
      std::string_view n2, v2;
      while (inner.next(n2, v2))
        if (n2 == "exe") {
          f.exe.assign(decode_value(v2, v2.empty() || v2.front() != '(', scratch));
          f.have.set(static_cast<size_t>(Fact::Exe));
        }
    }
  }
}

}  // namespace

EventDecider::EventDecider(std::vector<RuleBook*> books, const FactNeeds& extra_needs)
    : books_(std::move(books)),
      extra_needs_(extra_needs),
      needs_(extra_needs),
      decisions_(books_.size()) {
  for (const RuleBook* b : books_) needs_ |= b->needs();
  needs_for_ = [this](uint32_t arch, uint32_t syscall) -> const FactNeeds& {
    return needs_for(arch, syscall);
  };
}

const FactNeeds& EventDecider::needs_for(uint32_t arch, uint32_t syscall) {
  if (books_.size() == 1 && extra_needs_.empty()) return books_[0]->needs_for(arch, syscall);
  uint64_t key = static_cast<uint64_t>(arch) << 32 | syscall;
  auto it = needs_by_syscall_.find(key);
  if (it != needs_by_syscall_.end()) return it->second;
  FactNeeds n = extra_needs_;
  for (RuleBook* b : books_) n |= b->needs_for(arch, syscall);
  return needs_by_syscall_.emplace(key, n).first->second;
}

void EventDecider::decide(Event& event, const EventSink& sink) {
  if (event.records.empty()) return;
  ReplayedEvent out;
  out.event = &event;
  if (extract_syscall_facts(event, facts_, needs_, &needs_for_)) {
    out.kind = EventKind::Syscall;
    out.type = "SYSCALL";
    out.facts = &facts_;
    out.syscall = syscall_info(facts_.arch, facts_.syscall).name;
    if (facts_.arch != arch_ || arch_name_.data() == nullptr) {  // logs hold one or two
      arch_ = facts_.arch;
      auto m = tables::arch_to_machine(arch_);
      arch_name_ = m ? tables::machine_name(*m).value_or("") : "";
    }
    out.arch = arch_name_;
    for (size_t i = 0; i < books_.size(); ++i) decisions_[i] = books_[i]->decide_syscall(facts_);
  } else {
    const Record& main = event.records.front();
    out.type = main.type;
    uint32_t type = type_number(main.type);
    read_sender(main.body, facts_);
    out.facts = &facts_;
    if (is_user_message(type)) {
      out.kind = EventKind::UserMessage;
      for (size_t i = 0; i < books_.size(); ++i)
        decisions_[i] = books_[i]->decide_user_message(type, facts_);
    } else {
      out.kind = EventKind::Other;
      for (size_t i = 0; i < books_.size(); ++i) {
        // auditd's own DAEMON_* records never pass through the kernel's filters.
        if (main.type.starts_with("DAEMON_")) {
          decisions_[i] = Decision{};
          decisions_[i].logged = true;
        } else {
          decisions_[i] = books_[i]->decide_other_record(type, facts_);
        }
      }
    }
  }
  sink(out, decisions_);
}

ReplayResult replay(LineSource& source, std::vector<RuleBook*> books, const ReplayOptions& options,
                    const EventSink& sink) {
  ReplayResult result;
  EventDecider decider(std::move(books), options.extra_needs);
  uint64_t since_progress = 0;
  EventGrouper grouper([&](Event& event) {
    decider.decide(event, sink);
    if (options.progress && ++since_progress >= 65536) {
      since_progress = 0;
      options.progress(source.bytes_read(), 0);
    }
  });
  grouper.follow(source);
  std::string_view line;
  LinePosition where;
  while (source.next(line, where)) {
    if (!grouper.add_line(line, where) && options.strict) {
      result.error = source.files()[where.file] + ":" + std::to_string(where.line) +
                     ": malformed audit record (--strict)";
      break;
    }
  }
  if (result.error.empty()) result.error = source.error();
  grouper.finish();
  result.reader = grouper.stats();
  return result;
}

std::vector<std::string> order_rotated(std::vector<std::string> files) {
  // Rotation number: "name.N" -> N, "name" -> 0. Files of one series (same base name) are
  // read oldest first, i.e. by descending N; series keep the order of their first file.
  auto split = [](const std::string& f) -> std::pair<std::string, unsigned long> {
    size_t dot = f.rfind('.');
    if (dot != std::string::npos && dot + 1 < f.size() && dot + 10 > f.size() &&
        std::all_of(f.begin() + static_cast<long>(dot) + 1, f.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
      return {f.substr(0, dot), std::stoul(f.substr(dot + 1))};
    return {f, 0};
  };
  std::vector<std::string> bases;
  std::vector<std::vector<std::pair<unsigned long, std::string>>> series;
  for (std::string& f : files) {
    auto [base, n] = split(f);
    auto it = std::find(bases.begin(), bases.end(), base);
    if (it == bases.end()) {
      bases.push_back(base);
      series.emplace_back();
      it = bases.end() - 1;
    }
    series[static_cast<size_t>(it - bases.begin())].emplace_back(n, std::move(f));
  }
  std::vector<std::string> out;
  for (auto& s : series) {
    std::stable_sort(s.begin(), s.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [n, f] : s) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace af::sim
