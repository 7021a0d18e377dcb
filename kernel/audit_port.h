// The operations `load` needs from the kernel's audit subsystem, behind one small interface
// so that planning, applying and rolling back can be tested against a fake kernel. The real
// implementation (netlink_port.cc) talks AUDIT_* netlink messages through libaudit.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "compiler/diag/sys_error.h"
#include "kernel/kernel.h"
#include "kernel/settings.h"

namespace af::kernel {

/// A rule as the kernel lists it: `struct audit_rule_data` followed by its `buflen` string
/// bytes, without netlink padding (what list_rules returns).
using RuleBytes = std::vector<uint8_t>;

class AuditPort {
 public:
  virtual ~AuditPort() = default;
  /// AUDIT_GET (+ features).
  virtual Expected<Status> status() = 0;
  /// AUDIT_LIST_RULES, in kernel order (list by list, each list in rule order).
  virtual Expected<std::vector<RuleBytes>> rules() = 0;
  /// AUDIT_ADD_RULE, waiting for the kernel's ACK; `prepend` sets AUDIT_FILTER_PREPEND (-A).
  /// A refusal carries the kernel's errno in SysError::error.
  virtual Expected<void> add_rule(std::span<const uint8_t> rule, bool prepend) = 0;
  /// AUDIT_DEL_RULE of a rule exactly as listed, waiting for the ACK.
  virtual Expected<void> delete_rule(std::span<const uint8_t> rule) = 0;
  /// AUDIT_SET of one status field (or AUDIT_SET_FEATURE for LoginuidImmutable), with ACK.
  virtual Expected<void> set(Setting setting, uint32_t value) = 0;
};

/// The running kernel, over one audit netlink socket. Fails when the socket cannot be opened.
Expected<std::unique_ptr<AuditPort>> open_netlink_port();

}  // namespace af::kernel
