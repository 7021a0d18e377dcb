// The rule-order analysis: duplicates, rules shadowed by earlier rules of the same list, and
// never rules placed after always rules they overlap. The kernel tries the rules of a list in
// order and the first match decides (rules-semantics §5.3; watches rank by position too, so
// they take part like any rule).
//
// Cost: rules are indexed by list, by an "anchor" (one equality condition, preferring rare
// fields, which an earlier rule can only imply if the later rule has the same one) and by
// syscall number, so a rule is compared only with earlier rules that could cover it:
// O(rules × bucket size). Always rules are indexed by syscall, and those of every syscall
// (watches) by their perm= letters, for the never-after-always search. The worst case is many
// rules on one syscall that differ only in ranges (auid>=N): they share one bucket.
// tests/unit/linter/rule_order_test.cc checks the index against a pairwise scan.
#include <fmt/format.h>

#include <unordered_map>

#include "compiler/tables/tables.h"
#include "linter/check_context.h"
#include "linter/constraints.h"

namespace af::lint {
namespace {

constexpr uint32_t kAllSyscalls = UINT32_MAX;
constexpr uint64_t kNoAnchor = 0;

struct BucketKey {
  uint32_t list;
  uint32_t syscall;
  uint64_t anchor;
  friend bool operator==(const BucketKey&, const BucketKey&) = default;
};

struct BucketHash {
  size_t operator()(const BucketKey& k) const {
    uint64_t h = k.anchor * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t{k.list} << 32 | k.syscall) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    return static_cast<size_t>(h);
  }
};

bool uses_mask(ir::List l) { return l == ir::List::Exit || l == ir::List::IoUring; }

// An equality condition that an earlier rule holding it can only imply for a later rule
// holding the same condition. arch is left out: nearly every rule has one.
std::optional<uint64_t> anchor_of(const ir::Field& f) {
  if (f.op != ir::Op::Equal || f.id == AUDIT_ARCH || f.id == AUDIT_PERM) return std::nullopt;
  // gid= also holds for supplementary groups; dir=/a is implied by dir=/a/b.
  if (f.id == AUDIT_GID || f.id == AUDIT_EGID || f.id == AUDIT_DIR) return std::nullopt;
  uint64_t h = std::hash<std::string>()(f.text);
  h ^= (uint64_t{f.id} << 32 | f.value) * 0xD6E8FEB86659FD93ull;
  return h == kNoAnchor ? 1 : h;
}

bool is_common_condition(uint32_t field) {
  switch (field) {
    case AUDIT_EXIT:
    case AUDIT_SUCCESS:
    case AUDIT_FILETYPE:
    case AUDIT_MSGTYPE:
    case AUDIT_ARG0:
    case AUDIT_ARG1:
    case AUDIT_ARG2:
    case AUDIT_ARG3:
      return true;
    default:
      return false;
  }
}

std::vector<uint32_t> mask_bits(const ir::SyscallMask& m) {
  std::vector<uint32_t> bits;
  for (uint32_t w = 0; w < ir::SyscallMask::kWords; ++w)
    for (uint32_t b = 0, word = m.words[w]; word; ++b, word >>= 1)
      if (word & 1u) bits.push_back(w * 32 + b);
  return bits;
}

std::string_view list_label(ir::List l) {
  switch (l) {
    case ir::List::User:
      return "user";
    case ir::List::Task:
      return "task";
    case ir::List::Exit:
      return "exit";
    case ir::List::Exclude:
      return "exclude";
    case ir::List::Filesystem:
      return "filesystem";
    case ir::List::IoUring:
      return "io_uring";
    default:
      return "?";
  }
}

std::string shown_key(const ir::Rule& r) {
  std::string k;
  for (const std::string& key : r.keys) k += (k.empty() ? "" : ",") + key;
  return k.empty() ? "(null)" : k;
}

class RuleOrder {
 public:
  RuleOrder(const CheckContext& ctx, Reporter& out) : ctx_(ctx), out_(out) {}

  void run() {
    const auto& rules = ctx_.kernel;
    cons_.reserve(rules.size());
    for (const ir::Rule& r : rules) cons_.push_back(constraints_of(r));
    seen_.assign(rules.size(), 0);
    for (uint32_t i = 0; i < rules.size(); ++i) {
      const ir::Rule& r = rules[i];
      // The filesystem list ORs its fstype fields (§5.12); deletes never reach the kernel.
      if (r.list == ir::List::Filesystem || r.is_delete()) continue;
      if (!cons_[i].contradictory) {
        check_covered(i);
        if (r.action == ir::Action::Never && uses_mask(r.list)) check_never_after_always(i);
      }
      add(i);
    }
  }

 private:
  void add(uint32_t i) {
    const ir::Rule& r = ctx_.kernel[i];
    // Fields that many rules share (exit=-EACCES, success=1) make poor anchors.
    uint64_t anchor = kNoAnchor;
    int rank = -1;
    for (const ir::Field& f : r.fields) {
      auto a = anchor_of(f);
      if (!a) continue;
      int this_rank = is_common_condition(f.id) ? 0 : 1;
      if (this_rank > rank) {
        anchor = *a;
        rank = this_rank;
      }
    }
    uint32_t list = static_cast<uint32_t>(r.list);
    if (!uses_mask(r.list) || r.mask.all()) {
      by_anchor_[{list, kAllSyscalls, anchor}].push_back(i);
    } else {
      for (uint32_t s : mask_bits(r.mask)) by_anchor_[{list, s, anchor}].push_back(i);
    }
    if (r.action == ir::Action::Always && uses_mask(r.list)) {
      if (r.mask.all()) {
        // Watches and other all-syscall rules, by their perm= letters: a never rule on
        // syscalls whose class meets none of them cannot overlap them.
        const ir::Field* perm = r.find(AUDIT_PERM);
        uint64_t letters = perm && perm->op == ir::Op::Equal ? perm->value & 0xF : 0;
        always_[{list, kAllSyscalls, letters}].push_back(i);
      } else {
        for (uint32_t s : mask_bits(r.mask)) always_[{list, s, 0}].push_back(i);
      }
    }
  }

  const std::vector<uint32_t>* bucket(const BucketKey& k) const {
    auto it = by_anchor_.find(k);
    return it == by_anchor_.end() ? nullptr : &it->second;
  }

  // The earliest earlier rule that covers rule i, if any.
  void check_covered(uint32_t i) {
    const ir::Rule& r = ctx_.kernel[i];
    uint32_t list = static_cast<uint32_t>(r.list);
    std::vector<uint64_t> anchors = {kNoAnchor};
    for (const ir::Field& f : r.fields)
      if (auto a = anchor_of(f)) anchors.push_back(*a);
    std::vector<uint32_t> bits;
    if (uses_mask(r.list) && !r.mask.all()) bits = mask_bits(r.mask);
    int64_t best = -1;
    auto consider = [&](const std::vector<uint32_t>* b) {
      if (!b) return;
      for (uint32_t j : *b) {
        if (best >= 0 && j >= best) break;  // buckets are in rule order
        if (subsumes(ctx_.kernel[j], cons_[j], r, cons_[i])) best = j;
      }
    };
    for (uint64_t anchor : anchors) {
      consider(bucket({list, kAllSyscalls, anchor}));
      if (bits.empty()) continue;
      // Every covering rule has all of rule i's syscalls: the rarest one is enough to look in.
      const std::vector<uint32_t>* rarest = nullptr;
      bool missing = false;
      for (uint32_t s : bits) {
        const std::vector<uint32_t>* b = bucket({list, s, anchor});
        if (!b) {
          missing = true;
          break;
        }
        if (!rarest || b->size() < rarest->size()) rarest = b;
      }
      if (!missing) consider(rarest);
    }
    if (best >= 0) report_covered(static_cast<uint32_t>(best), i);
  }

  void report_covered(uint32_t j, uint32_t i) {
    const ir::Rule& first = ctx_.kernel[j];
    const ir::Rule& r = ctx_.kernel[i];
    bool equivalent = first.action == r.action && subsumes(r, cons_[i], first, cons_[j]);
    std::string_view list = list_label(r.list);
    Finding* f = nullptr;
    if (equivalent) {
      f = &out_.report(CheckId::CorrectnessDuplicateRule, r, r.origin.range,
                       fmt::format("rule is equivalent to an earlier rule of the {} list "
                                   "(conditions in another order or spelling), so it never "
                                   "decides an event",
                                   list));
      f->notes.push_back({first.origin.range, "the equivalent rule"});
    } else {
      std::string message;
      if (r.list == ir::List::Exclude) {
        message =
            "exclude rule never applies: an earlier exclude rule drops every record it "
            "matches";
      } else if (first.action == ir::Action::Never && r.action == ir::Action::Always) {
        message = fmt::format(
            "rule never fires: an earlier 'never' rule of the {} list suppresses every event "
            "it matches",
            list);
      } else if (first.action == ir::Action::Always && r.action == ir::Action::Never) {
        message = fmt::format(
            "'never' rule has no effect: an earlier 'always' rule of the {} list records every "
            "event it matches",
            list);
      } else {
        message = fmt::format(
            "rule is unreachable: an earlier rule of the {} list matches every event it matches",
            list);
      }
      f = &out_.report(CheckId::CorrectnessShadowedRule, r, r.origin.range, std::move(message));
      // A -A rule written further down still goes first: the kernel puts it at the head.
      bool prepended = first.origin.range.file > r.origin.range.file ||
                       (first.origin.range.file == r.origin.range.file &&
                        first.origin.range.line > r.origin.range.line);
      f->notes.push_back({first.origin.range, prepended
                                                  ? "this rule decides first: -A puts it at the "
                                                    "head of the list"
                                                  : "this earlier rule decides first"});
    }
    if (r.action == ir::Action::Always && first.action == ir::Action::Always &&
        first.joined_key() != r.joined_key())
      f->notes.push_back({{},
                          fmt::format("events are logged with key '{}', never with '{}'",
                                      shown_key(first), shown_key(r))});
  }

  void check_never_after_always(uint32_t i) {
    const ir::Rule& r = ctx_.kernel[i];
    uint32_t list = static_cast<uint32_t>(r.list);
    ++stamp_;
    int64_t first = -1;
    size_t overlapping = 0;
    bool covered = false;  // an always rule covers it entirely: shadowing reports that
    auto consider = [&](const std::vector<uint32_t>& b) {
      for (uint32_t j : b) {
        if (covered) return;
        if (seen_[j] == stamp_) continue;
        seen_[j] = stamp_;
        if (!may_overlap(ctx_.kernel[j], cons_[j], r, cons_[i])) continue;
        if (subsumes(ctx_.kernel[j], cons_[j], r, cons_[i])) {
          covered = true;
          return;
        }
        ++overlapping;
        if (first < 0 || j < first) first = j;
      }
    };
    if (r.mask.all()) {
      for (const auto& [key, b] : always_)
        if (key.list == list) consider(b);
    } else {
      uint32_t arch = r.arch().value_or(0);
      if (!arch) arch = tables::machine_to_arch(tables::host_machine()).value_or(0);
      uint32_t possible = 0;
      for (uint32_t s : mask_bits(r.mask)) possible |= perm_bits_possible(arch, s);
      for (uint64_t letters = 0; letters < 16; ++letters) {
        if (letters && !(letters & possible)) continue;
        if (auto it = always_.find({list, kAllSyscalls, letters}); it != always_.end())
          consider(it->second);
      }
      for (uint32_t s : mask_bits(r.mask))
        if (auto it = always_.find({list, s, 0}); it != always_.end()) consider(it->second);
    }
    if (covered) return;
    if (first < 0) return;
    const ir::Rule& a = ctx_.kernel[first];
    Finding& f = out_.report(
        CheckId::CorrectnessNeverAfterAlways, r, r.origin.range,
        fmt::format("'never' rule comes after {} 'always' rule{} it overlaps; events matching "
                    "both are still recorded",
                    overlapping, overlapping == 1 ? "" : "s"));
    f.notes.push_back({a.origin.range, "the first overlapping 'always' rule decides first"});
    f.notes.push_back(
        {{}, "put 'never' rules before the 'always' rules (the first match decides)"});
  }

  const CheckContext& ctx_;
  Reporter& out_;
  std::vector<Constraints> cons_;
  std::unordered_map<BucketKey, std::vector<uint32_t>, BucketHash> by_anchor_, always_;
  std::vector<uint32_t> seen_;
  uint32_t stamp_ = 0;
};

}  // namespace

void check_rule_order(const CheckContext& ctx, Reporter& out) { RuleOrder(ctx, out).run(); }

}  // namespace af::lint
