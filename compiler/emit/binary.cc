#include "compiler/emit/binary.h"

#include <fmt/format.h>

#include <cstring>

#include "compiler/emit/emit.h"
#include "compiler/sema/field_table.h"

namespace af::emit {
namespace {

constexpr uint32_t kPrependFlag = 0x10;  // AUDIT_FILTER_PREPEND
constexpr size_t kFixedSize = sizeof(audit_rule_data);

}  // namespace

std::vector<uint8_t> encode_rule(const ir::Rule& rule) {
  audit_rule_data head;
  std::memset(&head, 0, sizeof head);
  head.flags = static_cast<uint32_t>(rule.list) | (rule.is_prepend() ? kPrependFlag : 0);
  head.action = static_cast<uint32_t>(rule.action);
  std::memcpy(head.mask, rule.mask.words.data(), sizeof head.mask);
  std::string buf;
  uint32_t n = 0;
  // Through a pointer: clang refuses to capture a struct with a flexible array member.
  audit_rule_data* h = &head;
  auto add = [&](uint32_t field, ir::Op op, uint32_t value, const std::string* text) {
    if (n >= AUDIT_MAX_FIELDS) return;
    h->fields[n] = field;
    h->fieldflags[n] = static_cast<uint32_t>(op);
    if (text) {
      h->values[n] = static_cast<uint32_t>(text->size());
      buf += *text;
    } else {
      h->values[n] = value;
    }
    ++n;
  };
  for (const ir::Field& f : rule.fields)
    add(f.id, f.op, f.value, sema::is_string_field(f.id) ? &f.text : nullptr);
  std::string key = rule.joined_key();
  if (!rule.keys.empty()) add(AUDIT_FILTERKEY, ir::Op::Equal, 0, &key);
  head.field_count = n;
  head.buflen = static_cast<uint32_t>(buf.size());

  std::vector<uint8_t> out((kFixedSize + buf.size() + 3) & ~size_t{3});
  std::memcpy(out.data(), &head, kFixedSize);
  std::memcpy(out.data() + kFixedSize, buf.data(), buf.size());
  return out;
}

bool decode_rule(std::span<const uint8_t> bytes, RuleData& out) {
  if (bytes.size() < kFixedSize) return false;
  audit_rule_data head;
  std::memcpy(&head, bytes.data(), kFixedSize);
  if (head.field_count > AUDIT_MAX_FIELDS) return false;
  if (kFixedSize + head.buflen > bytes.size()) return false;
  out = RuleData{};
  out.flags = head.flags;
  out.action = head.action;
  std::memcpy(out.mask.words.data(), head.mask, sizeof head.mask);
  size_t offset = 0;
  for (uint32_t i = 0; i < head.field_count; ++i) {
    RuleData::Entry e;
    e.field = head.fields[i] & ~AUDIT_OPERATORS;
    e.op = head.fieldflags[i] & AUDIT_OPERATORS;
    e.value = head.values[i];
    if (sema::is_string_field(e.field)) {
      if (offset + e.value > head.buflen) return false;
      e.text.assign(reinterpret_cast<const char*>(bytes.data()) + kFixedSize + offset, e.value);
      offset += e.value;
    }
    out.fields.push_back(std::move(e));
  }
  return true;
}

ir::Rule rule_from_data(const RuleData& data) {
  ir::Rule r;
  r.list = static_cast<ir::List>(data.flags & ~kPrependFlag);
  r.action = static_cast<ir::Action>(data.action);
  r.mask = data.mask;
  r.syscalls_given = !data.mask.all();
  for (const RuleData::Entry& e : data.fields) {
    if (e.field == AUDIT_FILTERKEY && e.op == AUDIT_EQUAL) {
      size_t pos = 0;
      while (pos <= e.text.size()) {
        size_t sep = e.text.find('\x01', pos);
        if (sep == std::string::npos) sep = e.text.size();
        r.keys.push_back(e.text.substr(pos, sep - pos));
        pos = sep + 1;
      }
      continue;
    }
    r.fields.push_back({e.field, static_cast<ir::Op>(e.op), e.value, e.text, {}});
  }
  return r;
}

std::string hex_dump(std::span<const uint8_t> bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    out += fmt::format("{:02x}", bytes[i]);
    if (i % 32 == 31 || i + 1 == bytes.size()) out += '\n';
  }
  return out;
}

// Target binary: for each rule, its payload length as a little-endian u32 followed by the
// payload encode_rule returns (what AUDIT_ADD_RULE carries), in load order.
std::optional<std::string> emit_binary(const EmitInput& in, const EmitOptions&,
                                       diag::DiagnosticSink&) {
  std::string out;
  for (const ir::Rule& r : in.rules) {
    std::vector<uint8_t> bytes = encode_rule(r);
    uint32_t n = static_cast<uint32_t>(bytes.size());
    for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
    out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  return out;
}

}  // namespace af::emit
