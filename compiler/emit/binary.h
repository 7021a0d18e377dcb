// The netlink form of a rule: `struct audit_rule_data` followed by its string buffer,
// byte for byte as auditctl sends it with AUDIT_ADD_RULE (host endianness).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compiler/ir/rule.h"

namespace af::emit {

/// Encodes a rule as the payload of the AUDIT_ADD_RULE message: the struct, its strings,
/// and zero bytes up to the next multiple of 4 (netlink's alignment; `buflen` excludes them).
/// Fields keep their order; the keys become one AUDIT_FILTERKEY field at the end, joined
/// with 0x01, as auditctl does. The prepend flag (0x10) is set for -A rules.
std::vector<uint8_t> encode_rule(const ir::Rule& rule);

/// A decoded `audit_rule_data`, for printing rules the kernel lists back.
struct RuleData {
  uint32_t flags = 0;
  uint32_t action = 0;
  ir::SyscallMask mask;
  struct Entry {
    uint32_t field = 0;
    uint32_t op = 0;
    uint32_t value = 0;
    std::string text;  // string fields only
  };
  std::vector<Entry> fields;
};

/// Decodes bytes produced by encode_rule or returned by AUDIT_LIST_RULES. Returns false
/// when the bytes are too short or inconsistent.
bool decode_rule(std::span<const uint8_t> bytes, RuleData& out);

/// The IR rule a decoded kernel rule stands for (the key field becomes the rule's keys).
ir::Rule rule_from_data(const RuleData& data);

/// Lower-case hex, 32 bytes a line, for golden files and test failures.
std::string hex_dump(std::span<const uint8_t> bytes);

}  // namespace af::emit
