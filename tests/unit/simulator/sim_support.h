// Helpers for simulator unit tests: a rule book from inline rules, and recorded events built
// from a default SYSCALL record with some fields overridden.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/sema/loaded_rules.h"
#include "simulator/eval/rule_book.h"
#include "simulator/log/event_grouper.h"
#include "simulator/model/syscall_facts.h"
#include "tests/unit/compiler/test_support.h"

namespace af::test {

inline std::unique_ptr<sim::RuleBook> book(const std::string& rules) {
  Compilation c = compile(rules);
  return std::make_unique<sim::RuleBook>(sema::loaded_rules(c.rules, c.diags));
}

/// "a=1 b=2" over the default SYSCALL fields: replaces those present, appends the others;
/// "name=-" removes a field.
inline std::string syscall_record(const std::string& overrides, uint64_t serial = 1) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"arch", "c000003e"}, {"syscall", "257"}, {"success", "yes"},  {"exit", "3"},
      {"a0", "ffffff9c"},   {"a1", "7ffd0000"}, {"a2", "0"},         {"a3", "0"},
      {"items", "1"},       {"ppid", "1"},      {"pid", "100"},      {"auid", "1000"},
      {"uid", "1000"},      {"gid", "1000"},    {"euid", "1000"},    {"suid", "1000"},
      {"fsuid", "1000"},    {"egid", "1000"},   {"sgid", "1000"},    {"fsgid", "1000"},
      {"tty", "pts0"},      {"ses", "1"},       {"comm", "\"cat\""}, {"exe", "\"/usr/bin/cat\""},
      {"key", "(null)"}};
  size_t pos = 0;
  while (pos < overrides.size()) {
    size_t end = overrides.find(' ', pos);
    if (end == std::string::npos) end = overrides.size();
    std::string pair = overrides.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string name = pair.substr(0, eq), value = pair.substr(eq + 1);
    bool found = false;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it->first != name) continue;
      found = true;
      if (value == "-")
        fields.erase(it);
      else
        it->second = value;
      break;
    }
    if (!found && value != "-") fields.emplace_back(name, value);
  }
  std::string line = "type=SYSCALL msg=audit(1700000000.000:" + std::to_string(serial) + "):";
  for (const auto& [n, v] : fields) line += " " + n + "=" + v;
  return line + "\n";
}

/// A PATH record: item N with `name`; an object with `mode` unless mode is empty.
inline std::string path_record(int item, const std::string& name,
                               const std::string& mode = "0100644",
                               const std::string& nametype = "NORMAL", uint64_t serial = 1,
                               const std::string& ouid = "0") {
  std::string line = "type=PATH msg=audit(1700000000.000:" + std::to_string(serial) +
                     "): item=" + std::to_string(item) + " name=\"" + name + "\"";
  if (!mode.empty())
    line += " inode=1234 dev=fd:00 mode=" + mode + " ouid=" + ouid + " ogid=0 rdev=00:00";
  return line + " nametype=" + nametype + "\n";
}

inline std::string cwd_record(const std::string& cwd, uint64_t serial = 1) {
  return "type=CWD msg=audit(1700000000.000:" + std::to_string(serial) + "): cwd=\"" + cwd + "\"\n";
}

/// Groups `log` into events (closed at the end of input).
inline std::vector<sim::Event> events(const std::string& log) {
  std::vector<sim::Event> out;
  sim::EventGrouper grouper([&](sim::Event& e) { out.push_back(e); });  // a copy keeps its lines
  size_t pos = 0;
  uint64_t line = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    if (nl == std::string::npos) nl = log.size();
    grouper.add_line(std::string_view(log).substr(pos, nl - pos), {0, ++line});
    pos = nl + 1;
  }
  grouper.finish();
  return out;
}

/// The decision for the one syscall event in `log`.
inline sim::Decision decide(sim::RuleBook& b, const std::string& log) {
  std::vector<sim::Event> evs = events(log);
  sim::SyscallFacts facts;
  for (const sim::Event& e : evs)
    if (sim::extract_syscall_facts(e, facts)) return b.decide_syscall(facts);
  return {};
}

}  // namespace af::test
