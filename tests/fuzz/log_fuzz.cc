// libFuzzer target for the simulator's reader and evaluator: any bytes, read as audit.log
// lines, must group into events, decode, and go through a rule set using every list and the
// fields that read PATH, CWD, SOCKADDR and OPENAT2 data, without crashing or tripping a
// sanitizer. It is also an oracle for the shortcuts: the decision from the facts a syscall's
// rules need, through the candidate index, must be the one from every fact with every
// candidate tried in order; and the SYSCALL fast path (kernel field order) must read what
// the general name=value walk reads.
//
//   scripts/fuzz.sh SECONDS log
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "compiler/compiler.h"
#include "compiler/sema/loaded_rules.h"
#include "simulator/eval/rule_book.h"
#include "simulator/log/event_grouper.h"
#include "simulator/model/syscall_facts.h"
#include "simulator/report/event_json.h"

namespace {

af::sim::RuleBook& book() {
  static std::unique_ptr<af::sim::RuleBook> b = [] {
    af::Compilation c;
    af::sema::LowerOptions o;
    o.stat_watch_paths = false;
    af::load_classic_text(
        "fuzz.rules",
        "-a never,task -F uid=12345\n"
        "-a never,exclude -F msgtype=CWD -F auid=7\n"
        "-a never,user -F msgtype=USER_LOGIN -F uid=0\n"
        "-w /etc/shadow -p rwa -k shadow\n"
        "-a never,exit -F arch=b64 -S openat -F dir=/tmp -F success=0\n"
        "-a always,exit -F arch=b64 -S all -F perm=wa -F dir=/etc -k etc\n"
        "-a always,exit -F arch=b64 -S execve -F gid=27 -C uid!=euid -k sudo\n"
        "-a always,exit -F arch=b32 -S all -F a0&0x40 -F exit=-EACCES -k b32\n"
        "-a always,exit -S connect -F saddr_fam=2 -F filetype=socket -k net\n"
        "-a always,exit -S all -F exe=/usr/bin/sudo -F auid>=1000 -F auid!=unset\n"
        "-a always,exit -S openat2 -F perm=r -F obj_uid=0 -F devmajor=8 -k o2\n"
        // Enough candidates for the index: rules filed under uid, a0, exe and dir.
        "-a always,exit -F arch=b64 -S all -F uid=1000 -k u1000\n"
        "-a never,exit -F arch=b64 -S all -F uid=0 -F auid=1000\n"
        "-a always,exit -F arch=b64 -S all -F a0=3 -k a3\n"
        "-a always,exit -F arch=b64 -S all -F exe=/bin/sh -k sh\n"
        "-a always,exit -F arch=b64 -S all -F dir=/home -k home\n"
        "-a always,exit -F arch=b64 -S all -F dir=/ -F success=1 -k root\n"
        "-a always,exit -F arch=b64 -S all -F uid=33 -F dir=/var/www -k www\n"
        "-a always,exit -F arch=b64 -S all -F exe=/usr/bin/cat -F a1=0 -k cat\n"
        "-a always,exit -F arch=b64 -S all -k all64\n",
        c, o);
    return std::make_unique<af::sim::RuleBook>(af::sema::loaded_rules(c.rules, c.diags));
  }();
  return *b;
}

// Whether two readings of one event give the same SYSCALL numbers and strings.
bool same_syscall_facts(const af::sim::SyscallFacts& a, const af::sim::SyscallFacts& b) {
  return a.have == b.have && a.arch == b.arch && a.syscall == b.syscall && a.success == b.success &&
         a.exit == b.exit && a.args[0] == b.args[0] && a.args[1] == b.args[1] &&
         a.args[2] == b.args[2] && a.args[3] == b.args[3] && a.items == b.items &&
         a.ppid == b.ppid && a.pid == b.pid && a.auid == b.auid && a.uid == b.uid &&
         a.gid == b.gid && a.euid == b.euid && a.suid == b.suid && a.fsuid == b.fsuid &&
         a.egid == b.egid && a.sgid == b.sgid && a.fsgid == b.fsgid && a.ses == b.ses &&
         a.pers == b.pers && a.exe == b.exe && a.subj == b.subj && a.recorded_key == b.recorded_key;
}

// The event with every SYSCALL body behind a space, which the fast path never takes.
af::sim::Event general_walk_only(const af::sim::Event& e, std::vector<std::string>& storage) {
  af::sim::Event copy;
  storage.clear();
  storage.reserve(e.records.size());
  for (af::sim::Record r : e.records) {
    if (r.kind == af::sim::RecordKind::Syscall) {
      storage.push_back(" " + std::string(r.body));
      r.body = storage.back();
    }
    copy.records.push_back(r);
  }
  return copy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  af::sim::RuleBook& rules = book();
  std::vector<af::sim::RuleLabel> labels(rules.rules().size());
  af::sim::SyscallFacts facts, lazy, general;
  std::vector<std::string> storage;
  af::sim::NeedsFor needs_for = [&](uint32_t arch, uint32_t syscall) -> const af::sim::FactNeeds& {
    return rules.needs_for(arch, syscall);
  };
  af::sim::EventGrouper grouper([&](af::sim::Event& e) {
    if (af::sim::extract_syscall_facts(e, facts)) {
      if (!af::sim::extract_syscall_facts(general_walk_only(e, storage), general) ||
          !same_syscall_facts(facts, general)) {
        std::fprintf(stderr, "event %s: the fast path and the general walk differ\n",
                     e.id().c_str());
        abort();
      }
      std::vector<af::sim::ExplainStep> trace;
      af::sim::Decision d = rules.decide_syscall(facts, &trace);
      (void)af::sim::decision_json(d, labels).dump(-1, ' ', false,
                                                   nlohmann::json::error_handler_t::replace);
      if (!af::sim::extract_syscall_facts(e, lazy, rules.needs(), &needs_for)) abort();
      af::sim::Decision quick = rules.decide_syscall(lazy);
      if (quick.verdict != d.verdict || quick.rule != d.rule || quick.key != d.key ||
          quick.logged != d.logged || quick.reason != d.reason) {
        std::fprintf(stderr,
                     "event %s: full %d rule %d key '%s' reason '%s'; quick %d rule %d key '%s' "
                     "reason '%s'\n",
                     e.id().c_str(), static_cast<int>(d.verdict), d.rule, d.key.c_str(),
                     d.reason.c_str(), static_cast<int>(quick.verdict), quick.rule,
                     quick.key.c_str(), quick.reason.c_str());
        abort();
      }
    } else {
      (void)rules.decide_user_message(1112, facts);
    }
  });
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t line = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    grouper.add_line(text.substr(0, nl), {0, ++line});
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  grouper.finish();
  return 0;
}
