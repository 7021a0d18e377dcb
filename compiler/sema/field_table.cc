#include "compiler/sema/field_table.h"

#include <array>

namespace af::sema {
namespace {

using ir::List;

// Sorted by field number. Lists follow auditctl 3.0.9 (lib/libaudit.c,
// audit_rule_fieldpair_data); operators follow the kernel (kernel/auditfilter.c,
// audit_field_valid), which rejects what auditctl lets through.
constexpr std::array kFields = {
    FieldRule{AUDIT_PID, ValueKind::Number, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_UID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_EUID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_SUID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_FSUID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_GID, ValueKind::Gid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_EGID, ValueKind::Gid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_SGID, ValueKind::Gid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_FSGID, ValueKind::Gid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_LOGINUID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_PERS, ValueKind::Number, OpSet::All, kAnyList},
    FieldRule{AUDIT_ARCH, ValueKind::Arch, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_MSGTYPE, ValueKind::MsgType, OpSet::Compare,
              list_bit(List::User) | list_bit(List::Exclude)},
    FieldRule{AUDIT_SUBJ_USER, ValueKind::Label, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_SUBJ_ROLE, ValueKind::Label, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_SUBJ_TYPE, ValueKind::Label, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_SUBJ_SEN, ValueKind::Label, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_SUBJ_CLR, ValueKind::Label, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_PPID, ValueKind::Number, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_OBJ_USER, ValueKind::Label, OpSet::EqualNotEq, kExitOnly},
    FieldRule{AUDIT_OBJ_ROLE, ValueKind::Label, OpSet::EqualNotEq, kExitOnly},
    FieldRule{AUDIT_OBJ_TYPE, ValueKind::Label, OpSet::EqualNotEq, kExitOnly},
    FieldRule{AUDIT_OBJ_LEV_LOW, ValueKind::Label, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_OBJ_LEV_HIGH, ValueKind::Label, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_SESSIONID, ValueKind::Session, OpSet::Compare,
              list_bit(List::Exit) | list_bit(List::User) | list_bit(List::Exclude) |
                  list_bit(List::IoUring)},
    FieldRule{AUDIT_FSTYPE, ValueKind::FsType, OpSet::EqualNotEq, list_bit(List::Filesystem)},
    FieldRule{AUDIT_DEVMAJOR, ValueKind::Number, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_DEVMINOR, ValueKind::Number, OpSet::All, kExitOnly},
    FieldRule{AUDIT_INODE, ValueKind::Number, OpSet::EqualNotEq, kExitOnly},
    FieldRule{AUDIT_EXIT, ValueKind::Exit, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_SUCCESS, ValueKind::Number, OpSet::Compare, kExitOnly},
    FieldRule{AUDIT_WATCH, ValueKind::Path, OpSet::EqualOnly, kExitOnly},
    FieldRule{AUDIT_PERM, ValueKind::Perm, OpSet::EqualOnly, kExitOnly},
    FieldRule{AUDIT_DIR, ValueKind::Path, OpSet::EqualOnly, kExitOnly},
    FieldRule{AUDIT_FILETYPE, ValueKind::FileType, OpSet::EqualNotEq, kExitOnly},
    FieldRule{AUDIT_FIELD_COMPARE, ValueKind::Number, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_OBJ_UID, ValueKind::Uid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_OBJ_GID, ValueKind::Gid, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_EXE, ValueKind::Exe, OpSet::EqualNotEq, kAnyList},
    FieldRule{AUDIT_SADDR_FAM, ValueKind::Loose, OpSet::Compare, kAnyList},
    FieldRule{AUDIT_ARG0, ValueKind::SignedNum, OpSet::All, kAnyList},
    FieldRule{AUDIT_ARG1, ValueKind::SignedNum, OpSet::All, kAnyList},
    FieldRule{AUDIT_ARG2, ValueKind::SignedNum, OpSet::All, kAnyList},
    FieldRule{AUDIT_ARG3, ValueKind::SignedNum, OpSet::All, kAnyList},
    FieldRule{AUDIT_FILTERKEY, ValueKind::Key, OpSet::EqualNotEq, kAnyList},
};

// include/uapi/linux/audit.h, AUDIT_COMPARE_*; the names in auditctl's listing order.
constexpr std::array kComparisons = {
    FieldComparison{AUDIT_COMPARE_UID_TO_OBJ_UID, AUDIT_UID, AUDIT_OBJ_UID, "uid", "obj_uid"},
    FieldComparison{AUDIT_COMPARE_GID_TO_OBJ_GID, AUDIT_GID, AUDIT_OBJ_GID, "gid", "obj_gid"},
    FieldComparison{AUDIT_COMPARE_EUID_TO_OBJ_UID, AUDIT_EUID, AUDIT_OBJ_UID, "euid", "obj_uid"},
    FieldComparison{AUDIT_COMPARE_EGID_TO_OBJ_GID, AUDIT_EGID, AUDIT_OBJ_GID, "egid", "obj_gid"},
    FieldComparison{AUDIT_COMPARE_AUID_TO_OBJ_UID, AUDIT_LOGINUID, AUDIT_OBJ_UID, "auid",
                    "obj_uid"},
    FieldComparison{AUDIT_COMPARE_SUID_TO_OBJ_UID, AUDIT_SUID, AUDIT_OBJ_UID, "suid", "obj_uid"},
    FieldComparison{AUDIT_COMPARE_SGID_TO_OBJ_GID, AUDIT_SGID, AUDIT_OBJ_GID, "sgid", "obj_gid"},
    FieldComparison{AUDIT_COMPARE_FSUID_TO_OBJ_UID, AUDIT_FSUID, AUDIT_OBJ_UID, "fsuid", "obj_uid"},
    FieldComparison{AUDIT_COMPARE_FSGID_TO_OBJ_GID, AUDIT_FSGID, AUDIT_OBJ_GID, "fsgid", "obj_gid"},
    FieldComparison{AUDIT_COMPARE_UID_TO_AUID, AUDIT_UID, AUDIT_LOGINUID, "uid", "auid"},
    FieldComparison{AUDIT_COMPARE_UID_TO_EUID, AUDIT_UID, AUDIT_EUID, "uid", "euid"},
    FieldComparison{AUDIT_COMPARE_UID_TO_FSUID, AUDIT_UID, AUDIT_FSUID, "uid", "fsuid"},
    FieldComparison{AUDIT_COMPARE_UID_TO_SUID, AUDIT_UID, AUDIT_SUID, "uid", "suid"},
    FieldComparison{AUDIT_COMPARE_AUID_TO_FSUID, AUDIT_LOGINUID, AUDIT_FSUID, "auid", "fsuid"},
    FieldComparison{AUDIT_COMPARE_AUID_TO_SUID, AUDIT_LOGINUID, AUDIT_SUID, "auid", "suid"},
    FieldComparison{AUDIT_COMPARE_AUID_TO_EUID, AUDIT_LOGINUID, AUDIT_EUID, "auid", "euid"},
    FieldComparison{AUDIT_COMPARE_EUID_TO_SUID, AUDIT_EUID, AUDIT_SUID, "euid", "suid"},
    FieldComparison{AUDIT_COMPARE_EUID_TO_FSUID, AUDIT_EUID, AUDIT_FSUID, "euid", "fsuid"},
    FieldComparison{AUDIT_COMPARE_SUID_TO_FSUID, AUDIT_SUID, AUDIT_FSUID, "suid", "fsuid"},
    FieldComparison{AUDIT_COMPARE_GID_TO_EGID, AUDIT_GID, AUDIT_EGID, "gid", "egid"},
    FieldComparison{AUDIT_COMPARE_GID_TO_FSGID, AUDIT_GID, AUDIT_FSGID, "gid", "fsgid"},
    FieldComparison{AUDIT_COMPARE_GID_TO_SGID, AUDIT_GID, AUDIT_SGID, "gid", "sgid"},
    FieldComparison{AUDIT_COMPARE_EGID_TO_FSGID, AUDIT_EGID, AUDIT_FSGID, "egid", "fsgid"},
    FieldComparison{AUDIT_COMPARE_EGID_TO_SGID, AUDIT_EGID, AUDIT_SGID, "egid", "sgid"},
    FieldComparison{AUDIT_COMPARE_SGID_TO_FSGID, AUDIT_SGID, AUDIT_FSGID, "sgid", "fsgid"},
};

}  // namespace

std::optional<FieldComparison> comparison_by_code(uint32_t code) {
  for (const FieldComparison& c : kComparisons)
    if (c.code == code) return c;
  return std::nullopt;
}

std::optional<FieldComparison> comparison_of(uint32_t a, uint32_t b) {
  for (const FieldComparison& c : kComparisons)
    if ((c.left == a && c.right == b) || (c.left == b && c.right == a)) return c;
  return std::nullopt;
}

std::optional<FieldRule> field_rule(uint32_t id) {
  for (const FieldRule& r : kFields)
    if (r.id == id) return r;
  return std::nullopt;
}

bool op_allowed(OpSet set, ir::Op op) {
  switch (set) {
    case OpSet::EqualOnly:
      return op == ir::Op::Equal;
    case OpSet::EqualNotEq:
      return op == ir::Op::Equal || op == ir::Op::NotEqual;
    case OpSet::Compare:
      return op != ir::Op::BitMask && op != ir::Op::BitTest;
    case OpSet::All:
      return true;
  }
  return false;
}

bool is_string_field(uint32_t id) {
  switch (id) {
    case AUDIT_SUBJ_USER:
    case AUDIT_SUBJ_ROLE:
    case AUDIT_SUBJ_TYPE:
    case AUDIT_SUBJ_SEN:
    case AUDIT_SUBJ_CLR:
    case AUDIT_OBJ_USER:
    case AUDIT_OBJ_ROLE:
    case AUDIT_OBJ_TYPE:
    case AUDIT_OBJ_LEV_LOW:
    case AUDIT_OBJ_LEV_HIGH:
    case AUDIT_WATCH:
    case AUDIT_DIR:
    case AUDIT_EXE:
    case AUDIT_FILTERKEY:
      return true;
    default:
      return false;
  }
}

}  // namespace af::sema
