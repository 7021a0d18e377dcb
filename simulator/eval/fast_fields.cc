#include "simulator/eval/fast_fields.h"

#include <optional>

namespace af::sim {
namespace {

constexpr uint32_t kUnset = 4294967295u;

uint32_t bit(Slot s) { return 1u << static_cast<uint32_t>(s); }

std::optional<Slot> slot_of(uint32_t field_id) {
  switch (field_id) {
    case AUDIT_PID:
      return Slot::Pid;
    case AUDIT_UID:
      return Slot::Uid;
    case AUDIT_EUID:
      return Slot::Euid;
    case AUDIT_SUID:
      return Slot::Suid;
    case AUDIT_FSUID:
      return Slot::Fsuid;
    case AUDIT_SGID:
      return Slot::Sgid;
    case AUDIT_FSGID:
      return Slot::Fsgid;
    case AUDIT_LOGINUID:
      return Slot::Auid;
    case AUDIT_LOGINUID_SET:
      return Slot::LoginuidSet;
    case AUDIT_SESSIONID:
      return Slot::Ses;
    case AUDIT_PERS:
      return Slot::Pers;
    case AUDIT_ARCH:
      return Slot::Arch;
    case AUDIT_PPID:
      return Slot::Ppid;
    case AUDIT_ARG0:
      return Slot::A0;
    case AUDIT_ARG1:
      return Slot::A1;
    case AUDIT_ARG2:
      return Slot::A2;
    case AUDIT_ARG3:
      return Slot::A3;
    case AUDIT_EXIT:
      return Slot::Exit;
    case AUDIT_SUCCESS:
      return Slot::Success;
    default:
      return std::nullopt;
  }
}

}  // namespace

FastRule compile_fast(const ir::Rule& rule) {
  FastRule out;
  for (const ir::Field& f : rule.fields) {
    if (f.id == AUDIT_FILTERKEY) continue;
    std::optional<Slot> slot = slot_of(f.id);
    if (!slot) {
      out.complete = false;
      continue;
    }
    uint32_t value = f.value;
    // The kernel turns the legacy "auid=-1" into a test of whether the loginuid is set.
    if (*slot == Slot::Auid && value == kUnset) {
      slot = Slot::LoginuidSet;
      value = 0;
    }
    if (*slot == Slot::Success) value = value != 0 ? 1 : 0;
    out.tests.push_back({*slot, f.op, value});
  }
  return out;
}

void fill_slots(const SyscallFacts& f, SlotValues& s) {
  s.present = 0;
  auto put = [&](Slot slot, uint32_t v, bool have) {
    s.value[static_cast<size_t>(slot)] = v;
    if (have) s.present |= bit(slot);
  };
  put(Slot::Pid, f.pid, f.has(Fact::Pid));
  put(Slot::Uid, f.uid, f.has(Fact::Uid));
  put(Slot::Euid, f.euid, f.has(Fact::Euid));
  put(Slot::Suid, f.suid, f.has(Fact::Suid));
  put(Slot::Fsuid, f.fsuid, f.has(Fact::Fsuid));
  put(Slot::Sgid, f.sgid, f.has(Fact::Sgid));
  put(Slot::Fsgid, f.fsgid, f.has(Fact::Fsgid));
  put(Slot::Auid, f.auid, f.has(Fact::Auid));
  put(Slot::LoginuidSet, f.auid != kUnset ? 1 : 0, f.has(Fact::Auid));
  put(Slot::Ses, f.ses, f.has(Fact::Ses));
  put(Slot::Pers, f.pers, true);  // per= is only printed when not 0
  put(Slot::Arch, f.arch, f.has(Fact::Arch));
  put(Slot::Ppid, f.ppid, f.has(Fact::Ppid));
  for (int i = 0; i < 4; ++i)
    put(static_cast<Slot>(static_cast<int>(Slot::A0) + i), static_cast<uint32_t>(f.args[i]),
        f.has(static_cast<Fact>(static_cast<int>(Fact::A0) + i)));
  put(Slot::Exit, static_cast<uint32_t>(f.exit), f.has(Fact::Exit));
  put(Slot::Success, f.success ? 1 : 0, f.has(Fact::Success));
}

Tri run_fast(const FastRule& rule, const SlotValues& s) {
  bool missing = false;
  for (const FastTest& t : rule.tests) {
    if (!(s.present & bit(t.slot))) {
      // exit= and success= are false for a syscall that did not return; others unknown.
      if (t.slot == Slot::Exit || t.slot == Slot::Success) return Tri::False;
      missing = true;
      continue;
    }
    if (!compare_u32(s.value[static_cast<size_t>(t.slot)], t.op, t.value)) return Tri::False;
  }
  return missing ? Tri::Unknown : Tri::True;
}

}  // namespace af::sim
