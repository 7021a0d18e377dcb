#include "compiler/sema/loaded_rules.h"

#include <array>
#include <deque>
#include <string>
#include <unordered_map>

#include "compiler/emit/binary.h"

namespace af::sema {
namespace {

constexpr size_t kLists = 8;

// The kernel compares list, action, flags, fields in order and the mask: exactly the bytes
// auditctl sends. Rules are indexed by a hash of those bytes (1 KiB each, too big to keep
// for 100,000 rules) and compared in full only when hashes collide.
std::string identity(const ir::Rule& r) {
  std::vector<uint8_t> bytes = emit::encode_rule(r);
  return std::string(bytes.begin(), bytes.end());
}

// A hash of exactly what identity() encodes, computed from the IR without encoding.
size_t identity_hash(const ir::Rule& r) {
  size_t h = std::hash<uint32_t>{}(static_cast<uint32_t>(r.list) * 64 +
                                   static_cast<uint32_t>(r.action) * 2 + (r.is_prepend() ? 1 : 0));
  auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  for (uint32_t w : r.mask.words) mix(w);
  for (const ir::Field& f : r.fields) {
    mix(f.id);
    mix(static_cast<uint32_t>(f.op));
    mix(f.value);
    mix(std::hash<std::string>{}(f.text));
  }
  // The kernel sees one joined key: ["a", "b"] and ["a\x01b"] are the same rule.
  if (!r.keys.empty()) mix(std::hash<std::string>{}(r.joined_key()));
  return h;
}

class RuleIndex {
 public:
  const ir::Rule* find(const ir::Rule& r) const {
    auto [begin, end] = map_.equal_range(identity_hash(r));
    if (begin == end) return nullptr;
    std::string id = identity(r);
    for (auto it = begin; it != end; ++it)
      if (identity(*it->second) == id) return it->second;
    return nullptr;
  }
  void add(const ir::Rule* r) { map_.emplace(identity_hash(*r), r); }
  void remove(const ir::Rule* r) {
    auto [begin, end] = map_.equal_range(identity_hash(*r));
    for (auto it = begin; it != end; ++it)
      if (it->second == r) {
        map_.erase(it);
        return;
      }
  }
  void clear() { map_.clear(); }

 private:
  std::unordered_multimap<size_t, const ir::Rule*> map_;
};

}  // namespace

std::vector<ir::Rule> loaded_rules(const ir::RuleSet& set, diag::DiagnosticSink& diags) {
  std::array<std::deque<const ir::Rule*>, kLists> lists;
  RuleIndex present;

  auto remove_from_list = [&](const ir::Rule* gone) {
    for (auto& l : lists)
      for (auto it = l.begin(); it != l.end(); ++it)
        if (*it == gone) {
          l.erase(it);
          return;
        }
  };

  for (const ir::Statement& s : set.statements) {
    if (const ir::Control* c = std::get_if<ir::Control>(&s)) {
      if (c->kind != ir::ControlKind::DeleteAll) continue;
      if (c->text.empty()) {
        for (auto& l : lists) l.clear();
        present.clear();
        continue;
      }
      // "-D -k KEY" removes the rules whose key contains KEY.
      for (auto& l : lists) {
        for (auto it = l.begin(); it != l.end();) {
          if ((*it)->joined_key().find(c->text) != std::string::npos) {
            present.remove(*it);
            it = l.erase(it);
          } else {
            ++it;
          }
        }
      }
      continue;
    }
    const ir::Rule* rule = std::get_if<ir::Rule>(&s);
    if (!rule) continue;
    const ir::Rule& r = *rule;
    size_t list = static_cast<size_t>(r.list) % kLists;
    if (r.is_delete()) {
      ir::Rule as_added = r;
      as_added.form = ir::RuleForm::Append;
      const ir::Rule* found = present.find(as_added);
      if (!found) {
        diags.report(diag::Kind::SemanticDeleteMissing, r.origin.range,
                     "no loaded rule matches this delete; the kernel answers ENOENT and "
                     "auditctl stops here");
        continue;
      }
      remove_from_list(found);
      present.remove(found);
      continue;
    }
    if (const ir::Rule* same = present.find(r)) {
      diags
          .report(diag::Kind::SemanticDuplicateRule, r.origin.range,
                  "this rule is identical to a rule already loaded; the kernel answers "
                  "EEXIST (\"Rule exists\") and auditctl stops here")
          .note(same->origin.range, "the identical rule");
      continue;
    }
    present.add(&r);
    if (r.is_prepend()) {
      lists[list].push_front(&r);
    } else {
      lists[list].push_back(&r);
    }
  }
  std::vector<ir::Rule> out;
  for (const auto& l : lists)
    for (const ir::Rule* r : l) {
      out.push_back(*r);
      // The kernel keeps a prepended rule's position but not the prepend flag.
      if (out.back().form == ir::RuleForm::Prepend) out.back().form = ir::RuleForm::Append;
    }
  return out;
}

}  // namespace af::sema
