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
// auditctl sends.
std::string identity(const ir::Rule& r) {
  std::vector<uint8_t> bytes = emit::encode_rule(r);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

std::vector<ir::Rule> loaded_rules(const ir::RuleSet& set, diag::DiagnosticSink& diags) {
  std::array<std::deque<const ir::Rule*>, kLists> lists;
  std::unordered_map<std::string, const ir::Rule*> present;

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
            present.erase(identity(**it));
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
      auto it = present.find(identity(as_added));
      if (it == present.end()) {
        diags.report(diag::Kind::SemanticDeleteMissing, r.origin.range,
                     "no loaded rule matches this delete; the kernel answers ENOENT and "
                     "auditctl stops here");
        continue;
      }
      remove_from_list(it->second);
      present.erase(it);
      continue;
    }
    std::string id = identity(r);
    if (auto it = present.find(id); it != present.end()) {
      diags.report(diag::Kind::SemanticDuplicateRule, r.origin.range,
                   "this rule is identical to a rule already loaded; the kernel answers "
                   "EEXIST (\"Rule exists\") and auditctl stops here")
          .note(it->second->origin.range, "the identical rule");
      continue;
    }
    present.emplace(std::move(id), &r);
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
    }
  return out;
}

}  // namespace af::sema
