// The mark of the rules `load --own` manages: a reserved key appended to each rule, so that
// rules other agents loaded (without the mark) are never compared, moved or deleted.
// See docs/kernel.md ("load --own") for what the mark does to the logged key.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "compiler/ir/rule.h"

namespace af::kernel {

/// The reserved key. The kernel joins a rule's keys with byte 0x01, so a rule `-k web` is
/// held as "web\x01auditforge-own" and a rule without a key as "auditforge-own".
inline constexpr std::string_view kOwnMark = "auditforge-own";

/// Appends the mark as the rule's last key (unless it already carries it).
void add_own_mark(ir::Rule& rule);

/// Whether a rule as the kernel lists it carries the mark as one of its keys.
bool has_own_mark(std::span<const uint8_t> rule);

}  // namespace af::kernel
