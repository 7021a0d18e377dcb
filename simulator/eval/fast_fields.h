// The numeric SYSCALL-record tests of a rule (ids, auid, arch, arguments, exit, success, ...)
// compiled to (slot, operator, value) triples over an array of the event's values. Most rules
// fail on one of these, so the evaluator tries them first without touching strings; rules
// with other fields (paths, perm, exe, labels, gid=) finish through match_field. The result
// is the same: fields are ANDed, and a false field decides whatever the others say.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir/rule.h"
#include "simulator/eval/field_match.h"
#include "simulator/model/syscall_facts.h"

namespace af::sim {

enum class Slot : uint8_t {
  Pid,
  Uid,
  Euid,
  Suid,
  Fsuid,
  Sgid,
  Fsgid,
  Auid,
  LoginuidSet,
  Ses,
  Pers,
  Arch,
  Ppid,
  A0,
  A1,
  A2,
  A3,
  Exit,
  Success,
  Count
};

struct FastTest {
  Slot slot;
  ir::Op op;
  uint32_t value;
};

struct FastRule {
  std::vector<FastTest> tests;
  bool complete = true;  // every field of the rule is a fast test (or the key)
};

struct SlotValues {
  uint32_t value[static_cast<size_t>(Slot::Count)] = {};
  uint32_t present = 0;  // bit per slot
};

FastRule compile_fast(const ir::Rule& rule);
void fill_slots(const SyscallFacts& facts, SlotValues& out);

/// False as soon as a test fails; True when all pass; Unknown when a value is missing from
/// the record (the caller then evaluates the rule field by field for the reason).
Tri run_fast(const FastRule& rule, const SlotValues& slots);

}  // namespace af::sim
