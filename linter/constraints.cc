#include "linter/constraints.h"

#include <algorithm>

#include "compiler/tables/tables.h"
#include "simulator/model/syscall_class.h"

namespace af::lint {
namespace {

constexpr uint32_t kMax = UINT32_MAX;
constexpr uint32_t kUnset = UINT32_MAX;

bool is_bit_op(ir::Op op) { return op == ir::Op::BitMask || op == ir::Op::BitTest; }

// Fields that hold one value per event and whose comparison is the generic unsigned one.
bool is_scalar_field(uint32_t id) {
  switch (id) {
    case AUDIT_PID:
    case AUDIT_UID:
    case AUDIT_EUID:
    case AUDIT_SUID:
    case AUDIT_FSUID:
    case AUDIT_SGID:
    case AUDIT_FSGID:
    case AUDIT_LOGINUID:
    case AUDIT_LOGINUID_SET:
    case AUDIT_PERS:
    case AUDIT_ARCH:
    case AUDIT_MSGTYPE:
    case AUDIT_PPID:
    case AUDIT_SESSIONID:
    case AUDIT_EXIT:
    case AUDIT_SUCCESS:
    case AUDIT_ARG0:
    case AUDIT_ARG1:
    case AUDIT_ARG2:
    case AUDIT_ARG3:
    case AUDIT_SADDR_FAM:
      return true;
    default:
      return false;
  }
}

// Fields the kernel tests against every PATH item: two conditions may hold on two items.
bool is_item_field(uint32_t id) {
  switch (id) {
    case AUDIT_DEVMAJOR:
    case AUDIT_DEVMINOR:
    case AUDIT_INODE:
    case AUDIT_OBJ_UID:
    case AUDIT_OBJ_GID:
    case AUDIT_FILETYPE:
      return true;
    default:
      return false;
  }
}

// String fields with one value per event: "=a" and "=b" cannot both hold.
bool is_single_string(uint32_t id) {
  return id == AUDIT_SUBJ_USER || id == AUDIT_SUBJ_ROLE || id == AUDIT_SUBJ_TYPE || id == AUDIT_EXE;
}

}  // namespace

ValueSet ValueSet::of(ir::Op op, uint32_t v) {
  switch (op) {
    case ir::Op::Equal:
      return ValueSet({{v, v}});
    case ir::Op::NotEqual: {
      std::vector<Interval> parts;
      if (v > 0) parts.push_back({0, v - 1});
      if (v < kMax) parts.push_back({v + 1, kMax});
      return ValueSet(std::move(parts));
    }
    case ir::Op::Less:
      return v == 0 ? none() : ValueSet({{0, v - 1}});
    case ir::Op::LessEqual:
      return ValueSet({{0, v}});
    case ir::Op::Greater:
      return v == kMax ? none() : ValueSet({{v + 1, kMax}});
    case ir::Op::GreaterEqual:
      return ValueSet({{v, kMax}});
    case ir::Op::BitMask:
    case ir::Op::BitTest:
      break;
  }
  return all();
}

ValueSet ValueSet::from(std::vector<Interval> parts) {
  std::sort(parts.begin(), parts.end(),
            [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  std::vector<Interval> out;
  for (const Interval& p : parts) {
    if (!out.empty() && (out.back().hi == kMax || p.lo <= out.back().hi + 1)) {
      out.back().hi = std::max(out.back().hi, p.hi);
    } else {
      out.push_back(p);
    }
  }
  return ValueSet(std::move(out));
}

ValueSet ValueSet::intersect(const ValueSet& other) const {
  std::vector<Interval> out;
  size_t i = 0, j = 0;
  while (i < parts_.size() && j < other.parts_.size()) {
    const Interval& a = parts_[i];
    const Interval& b = other.parts_[j];
    uint32_t lo = std::max(a.lo, b.lo), hi = std::min(a.hi, b.hi);
    if (lo <= hi) out.push_back({lo, hi});
    if (a.hi < b.hi) {
      ++i;
    } else {
      ++j;
    }
  }
  return ValueSet(std::move(out));
}

bool ValueSet::subset_of(const ValueSet& other) const {
  for (const Interval& a : parts_) {
    bool inside = std::any_of(other.parts_.begin(), other.parts_.end(),
                              [&](const Interval& b) { return b.lo <= a.lo && a.hi <= b.hi; });
    if (!inside) return false;
  }
  return true;
}

bool ValueSet::contains(uint32_t v) const {
  return std::any_of(parts_.begin(), parts_.end(),
                     [v](const Interval& p) { return p.lo <= v && v <= p.hi; });
}

FieldShape field_shape(const ir::Field& f) {
  if (is_bit_op(f.op)) return FieldShape::Opaque;
  if (is_scalar_field(f.id)) return FieldShape::Scalar;
  if (is_item_field(f.id)) return FieldShape::AnyItem;
  if (f.id == AUDIT_PERM && f.op == ir::Op::Equal) return FieldShape::Perm;
  return FieldShape::Opaque;
}

ValueSet values_of(const ir::Field& f) {
  // The kernel turns any auid condition on 4294967295 into "loginuid_set OP 0", where
  // loginuid_set is 1 for a set login uid (rules-semantics §2.5). In u32 terms an unset
  // auid is 4294967295 and a set one is below it.
  if (f.id == AUDIT_LOGINUID && f.value == kUnset) {
    switch (f.op) {
      case ir::Op::Equal:
      case ir::Op::LessEqual:
        return ValueSet::of(ir::Op::Equal, kUnset);
      case ir::Op::NotEqual:
      case ir::Op::Greater:
        return ValueSet::of(ir::Op::Less, kUnset);
      case ir::Op::Less:
        return ValueSet::none();
      default:
        return ValueSet::all();
    }
  }
  // success= is stored as AUDITSC_SUCCESS (1) for non-zero and AUDITSC_FAILURE (2) for 0.
  if (f.id == AUDIT_SUCCESS) return ValueSet::of(f.op, f.value ? 1 : 2);
  return ValueSet::of(f.op, f.value);
}

const Constraints::Scalar* Constraints::scalar(uint32_t field) const {
  auto it = std::lower_bound(scalars.begin(), scalars.end(), field,
                             [](const Scalar& s, uint32_t id) { return s.field < id; });
  return it != scalars.end() && it->field == field ? &*it : nullptr;
}

Constraints constraints_of(const ir::Rule& rule) {
  Constraints c;
  for (const ir::Field& f : rule.fields) {
    switch (field_shape(f)) {
      case FieldShape::Scalar: {
        ValueSet v = values_of(f);
        auto it = std::find_if(c.scalars.begin(), c.scalars.end(),
                               [&](const Constraints::Scalar& s) { return s.field == f.id; });
        if (it == c.scalars.end()) {
          c.scalars.push_back({f.id, std::move(v), 1});
        } else {
          it->values = it->values.intersect(v);
          ++it->count;
        }
        break;
      }
      case FieldShape::AnyItem:
        c.items.push_back({f.id, values_of(f)});
        break;
      case FieldShape::Perm:
        c.perm |= f.value;
        break;
      case FieldShape::Opaque:
        c.opaque.push_back(&f);
        break;
    }
  }
  std::sort(
      c.scalars.begin(), c.scalars.end(),
      [](const Constraints::Scalar& a, const Constraints::Scalar& b) { return a.field < b.field; });
  for (const Constraints::Scalar& s : c.scalars) {
    if (s.values.empty()) {
      c.contradictory = true;
      c.contradiction_field = s.field;
      return c;
    }
  }
  for (size_t i = 0; i < c.opaque.size(); ++i) {
    const ir::Field& a = *c.opaque[i];
    if (!is_single_string(a.id)) continue;
    for (size_t j = i + 1; j < c.opaque.size(); ++j) {
      const ir::Field& b = *c.opaque[j];
      if (b.id != a.id) continue;
      bool both_equal = a.op == ir::Op::Equal && b.op == ir::Op::Equal && a.text != b.text;
      bool negated = a.op != b.op && a.text == b.text;
      if (both_equal || negated) {
        c.contradictory = true;
        c.contradiction_field = a.id;
        return c;
      }
    }
  }
  return c;
}

uint32_t perm_bits_possible(uint32_t arch, uint32_t nr) {
  constexpr uint32_t kAll = AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;
  const sim::SyscallInfo& s = sim::syscall_info(arch, nr);
  if (!s.known) return kAll;
  switch (s.perm_class) {
    case sim::PermClass::Open:
    case sim::PermClass::OpenAt:
    case sim::PermClass::OpenAt2:
      return AUDIT_PERM_READ | AUDIT_PERM_WRITE;
    case sim::PermClass::Execve:
      return AUDIT_PERM_EXEC;
    case sim::PermClass::SocketCall:
      return AUDIT_PERM_WRITE;
    case sim::PermClass::Other:
      break;
  }
  return (s.read ? AUDIT_PERM_READ : 0u) | (s.write ? AUDIT_PERM_WRITE : 0u) |
         (s.attr ? AUDIT_PERM_ATTR : 0u);
}

bool mask_covers(const ir::SyscallMask& a, const ir::SyscallMask& b) {
  for (uint32_t i = 0; i < ir::SyscallMask::kWords; ++i)
    if (b.words[i] & ~a.words[i]) return false;
  return true;
}

namespace {

bool uses_mask(ir::List list) { return list == ir::List::Exit || list == ir::List::IoUring; }

bool masks_meet(const ir::SyscallMask& a, const ir::SyscallMask& b) {
  for (uint32_t i = 0; i < ir::SyscallMask::kWords; ++i)
    if (a.words[i] & b.words[i]) return true;
  return false;
}

// Whether one syscall's PATH items can plausibly satisfy a path=/dir= condition of each rule:
// the same object, or one inside the other's tree. (A rename between two unrelated trees has
// items in both; such events are rare enough that disjoint trees count as disjoint.)
std::string_view trim_slashes(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return p;
}

bool under(std::string_view path, std::string_view root) {
  return path.substr(0, root.size()) == root &&
         (root == "/" || path.size() == root.size() || path[root.size()] == '/');
}

bool paths_related(const ir::Field& a, const ir::Field& b) {
  auto trim = trim_slashes;
  std::string_view pa = trim(a.text), pb = trim(b.text);
  if (pa == pb) return true;
  return (a.id == AUDIT_DIR && under(pb, pa)) || (b.id == AUDIT_DIR && under(pa, pb));
}

bool is_path_condition(const ir::Field& f) {
  return (f.id == AUDIT_WATCH || f.id == AUDIT_DIR) && f.op == ir::Op::Equal;
}

// Whether condition `b` implies condition `a`, both compared as written, except that a
// dir= tree contains every tree below it (dentry ancestry, rules-semantics §5.6) and a
// trailing '/' does not change the tree.
bool implies(const ir::Field& b, const ir::Field& a) {
  if (b == a) return true;
  bool dirs =
      a.id == AUDIT_DIR && b.id == AUDIT_DIR && a.op == ir::Op::Equal && b.op == ir::Op::Equal;
  return dirs && under(trim_slashes(b.text), trim_slashes(a.text));
}

}  // namespace

bool subsumes(const ir::Rule& a, const Constraints& ca, const ir::Rule& b, const Constraints& cb) {
  if (a.list != b.list || cb.contradictory || ca.contradictory) return false;
  if (uses_mask(a.list) && !mask_covers(a.mask, b.mask)) return false;
  for (const Constraints::Scalar& sa : ca.scalars) {
    const Constraints::Scalar* sb = cb.scalar(sa.field);
    if (!(sb ? sb->values : ValueSet::all()).subset_of(sa.values)) return false;
  }
  for (const Constraints::Item& ia : ca.items) {
    bool implied = std::any_of(cb.items.begin(), cb.items.end(), [&](const Constraints::Item& ib) {
      return ib.field == ia.field && ib.values.subset_of(ia.values);
    });
    if (!implied) return false;
  }
  for (const ir::Field* fa : ca.opaque) {
    bool same = std::any_of(cb.opaque.begin(), cb.opaque.end(),
                            [&](const ir::Field* fb) { return implies(*fb, *fa); });
    if (!same) return false;
  }
  if (ca.perm && (!cb.perm || (cb.perm & ~ca.perm))) return false;
  return true;
}

bool may_overlap(const ir::Rule& a, const Constraints& ca, const ir::Rule& b,
                 const Constraints& cb) {
  if (a.list != b.list || ca.contradictory || cb.contradictory) return false;
  if (uses_mask(a.list) && !masks_meet(a.mask, b.mask)) return false;
  for (const Constraints::Scalar& sa : ca.scalars) {
    const Constraints::Scalar* sb = cb.scalar(sa.field);
    if (sb && sa.values.intersect(sb->values).empty()) return false;
  }
  // perm= needs a shared syscall whose class can meet both rules' letters.
  if ((ca.perm || cb.perm) && uses_mask(a.list) && !(a.mask.all() && b.mask.all())) {
    uint32_t arch = a.arch().value_or(b.arch().value_or(0));
    if (!arch) arch = tables::machine_to_arch(tables::host_machine()).value_or(0);
    bool possible = false;
    for (uint32_t w = 0; w < ir::SyscallMask::kWords && !possible; ++w) {
      for (uint32_t bit = 0, word = a.mask.words[w] & b.mask.words[w]; word; ++bit, word >>= 1) {
        if (!(word & 1u)) continue;
        uint32_t can = perm_bits_possible(arch, w * 32 + bit);
        if ((!ca.perm || (can & ca.perm)) && (!cb.perm || (can & cb.perm))) {
          possible = true;
          break;
        }
      }
    }
    if (!possible) return false;
  }
  for (const ir::Field* fa : ca.opaque) {
    if (!is_path_condition(*fa)) continue;
    for (const ir::Field* fb : cb.opaque)
      if (is_path_condition(*fb) && !paths_related(*fa, *fb)) return false;
  }
  for (const ir::Field* fa : ca.opaque) {
    if (!is_single_string(fa->id)) continue;
    for (const ir::Field* fb : cb.opaque) {
      if (fb->id != fa->id) continue;
      if (fa->op == ir::Op::Equal && fb->op == ir::Op::Equal && fa->text != fb->text) return false;
      if (fa->op != fb->op && fa->text == fb->text) return false;
    }
  }
  return true;
}

}  // namespace af::lint
