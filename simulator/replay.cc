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

ReplayResult replay(LineSource& source, std::vector<RuleBook*> books, const ReplayOptions& options,
                    const EventSink& sink) {
  ReplayResult result;
  SyscallFacts facts;
  std::vector<Decision> decisions(books.size());
  uint64_t since_progress = 0;
  FactNeeds needs = options.extra_needs;
  for (const RuleBook* b : books) needs |= b->needs();
  EventGrouper grouper([&](Event& event) {
    ReplayedEvent out;
    out.event = &event;
    if (event.records.empty()) return;
    if (extract_syscall_facts(event, facts, needs)) {
      out.kind = EventKind::Syscall;
      out.type = "SYSCALL";
      out.facts = &facts;
      out.syscall = syscall_name_on(facts.arch, facts.syscall);
      if (auto m = tables::arch_to_machine(facts.arch))
        out.arch = tables::machine_name(*m).value_or("");
      for (size_t i = 0; i < books.size(); ++i) decisions[i] = books[i]->decide_syscall(facts);
    } else {
      const Record& main = event.records.front();
      out.type = main.type;
      uint32_t type = type_number(main.type);
      read_sender(main.body, facts);
      out.facts = &facts;
      if (is_user_message(type)) {
        out.kind = EventKind::UserMessage;
        for (size_t i = 0; i < books.size(); ++i)
          decisions[i] = books[i]->decide_user_message(type, facts);
      } else {
        out.kind = EventKind::Other;
        for (size_t i = 0; i < books.size(); ++i) {
          // auditd's own DAEMON_* records never pass through the kernel's filters.
          if (main.type.starts_with("DAEMON_")) {
            decisions[i] = Decision{};
            decisions[i].logged = true;
          } else {
            decisions[i] = books[i]->decide_other_record(type, facts);
          }
        }
      }
    }
    sink(out, decisions);
    if (options.progress && ++since_progress >= 65536) {
      since_progress = 0;
      options.progress(source.bytes_read(), 0);
    }
  });
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
