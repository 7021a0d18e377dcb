#include "kernel/own_mark.h"

#include <algorithm>

#include "compiler/emit/binary.h"

namespace af::kernel {

void add_own_mark(ir::Rule& rule) {
  if (std::find(rule.keys.begin(), rule.keys.end(), kOwnMark) == rule.keys.end())
    rule.keys.emplace_back(kOwnMark);
}

bool has_own_mark(std::span<const uint8_t> rule) {
  emit::RuleData data;
  if (!emit::decode_rule(rule, data)) return false;
  for (const emit::RuleData::Entry& e : data.fields) {
    if (e.field != AUDIT_FILTERKEY) continue;
    // Keys are joined with 0x01 (kernel/auditfilter.c keeps the string whole; auditctl and
    // ausearch split it), so the mark is one whole component.
    std::string_view key = e.text;
    size_t pos = 0;
    while (pos <= key.size()) {
      size_t sep = key.find('\x01', pos);
      if (sep == std::string_view::npos) sep = key.size();
      if (key.substr(pos, sep - pos) == kOwnMark) return true;
      pos = sep + 1;
    }
  }
  return false;
}

}  // namespace af::kernel
