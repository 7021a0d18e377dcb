// Read access to the running kernel's audit state over netlink (through libaudit): its
// status and the rules it holds. Loading and recording (issue #5) will live here too.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/diag/sys_error.h"

namespace af::kernel {

/// What `auditctl -s` shows.
struct Status {
  uint32_t enabled = 0, failure = 0, pid = 0, rate_limit = 0, backlog_limit = 0, lost = 0,
           backlog = 0, feature_bitmap = 0, backlog_wait_time = 0, backlog_wait_time_actual = 0;
  bool have_loginuid_feature = false;  // the kernel answered AUDIT_GET_FEATURE
  bool loginuid_immutable = false;
  bool loginuid_locked = false;
};

/// AUDIT_GET (+ AUDIT_GET_FEATURE). Fails with the errno in words (EPERM without
/// CAP_AUDIT_CONTROL, ECONNREFUSED outside the initial user namespace, ...).
Expected<Status> read_status();

/// AUDIT_LIST_RULES: each rule's `struct audit_rule_data` and strings, in kernel order.
Expected<std::vector<std::vector<uint8_t>>> list_rules();

}  // namespace af::kernel
