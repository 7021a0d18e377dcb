// A rule's conditions as sets of values, so that rules can be compared: does every event
// that matches one match the other (subsumption), can both match one event (overlap), can
// the rule match at all? Values compare as the kernel compares them: unsigned 32-bit
// (rules-semantics §5.5), with auid's "unset" (4294967295) rewritten to loginuid_set (§2.5).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir/rule.h"

namespace af::lint {

struct Interval {
  uint32_t lo = 0, hi = 0;  // inclusive
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// A set of u32 values as sorted, disjoint, non-adjacent intervals.
class ValueSet {
 public:
  static ValueSet all() { return ValueSet({{0, UINT32_MAX}}); }
  static ValueSet none() { return ValueSet({}); }
  /// The values `op value` accepts.
  static ValueSet of(ir::Op op, uint32_t value);
  /// Any intervals; sorted and merged here.
  static ValueSet from(std::vector<Interval> parts);

  ValueSet intersect(const ValueSet& other) const;
  bool subset_of(const ValueSet& other) const;
  bool empty() const { return parts_.empty(); }
  bool is_all() const { return parts_.size() == 1 && parts_[0] == Interval{0, UINT32_MAX}; }
  bool contains(uint32_t v) const;
  const std::vector<Interval>& parts() const { return parts_; }
  friend bool operator==(const ValueSet&, const ValueSet&) = default;

 private:
  explicit ValueSet(std::vector<Interval> parts) : parts_(std::move(parts)) {}
  std::vector<Interval> parts_;
};

/// How the kernel evaluates a field, for comparing rules.
enum class FieldShape : uint8_t {
  Scalar,   // one value per event (uid, auid, pid, exit, a0, ...): conditions intersect
  AnyItem,  // true if any PATH item satisfies it (obj_uid, inode, devmajor, filetype)
  Perm,     // perm=: true if the syscall's class meets any of the bits
  Opaque,   // strings, bit tests, -C, gid/egid (supplementary groups): compared as written
};
FieldShape field_shape(const ir::Field& f);

/// The conditions of one rule, grouped by field.
struct Constraints {
  struct Scalar {
    uint32_t field;
    ValueSet values;
    uint32_t count;  // how many conditions were intersected
  };
  struct Item {
    uint32_t field;
    ValueSet values;
  };
  std::vector<Scalar> scalars;  // sorted by field id
  std::vector<Item> items;
  std::vector<const ir::Field*> opaque;
  uint32_t perm = 0;  // 0: no perm= condition
  bool contradictory = false;
  uint32_t contradiction_field = 0;

  const Scalar* scalar(uint32_t field) const;
};

/// Builds the constraints of `rule`. Keeps pointers into `rule.fields`.
Constraints constraints_of(const ir::Rule& rule);

/// The values a field condition accepts, kernel-style (auid=unset rewritten, success
/// normalised to the kernel's 1/2 encoding).
ValueSet values_of(const ir::Field& f);

/// True when every event matching `b` also matches `a` (same list assumed; checks masks).
bool subsumes(const ir::Rule& a, const Constraints& ca, const ir::Rule& b, const Constraints& cb);

/// True when one event may match both rules (conservative: true unless provably disjoint).
bool may_overlap(const ir::Rule& a, const Constraints& ca, const ir::Rule& b,
                 const Constraints& cb);

/// The perm= bits (AUDIT_PERM_*) that syscall `nr` of ABI `arch` can satisfy, from the kernel's
/// syscall classes (rules-semantics §5.7); every bit when the syscall is unknown.
uint32_t perm_bits_possible(uint32_t arch, uint32_t nr);

/// mask(a) ⊇ mask(b).
bool mask_covers(const ir::SyscallMask& a, const ir::SyscallMask& b);

}  // namespace af::lint
