// The control settings `load` diffs and applies: the AUDIT_SET status fields and the
// loginuid-immutable feature, with the names `auditctl -s` prints.
#pragma once

#include <cstdint>
#include <string_view>

#include "kernel/kernel.h"

namespace af::kernel {

enum class Setting : uint8_t {
  Failure,            // -f
  RateLimit,          // -r
  BacklogLimit,       // -b
  BacklogWaitTime,    // --backlog_wait_time
  LoginuidImmutable,  // --loginuid-immutable (set and locked: irreversible until reboot)
  Enabled,            // -e
};

/// "failure", "rate_limit", "backlog_limit", "backlog_wait_time", "loginuid_immutable",
/// "enabled".
std::string_view setting_name(Setting s);

/// The setting's value in `st` (loginuid_immutable: 0 or 1).
uint32_t setting_value(const Status& st, Setting s);

}  // namespace af::kernel
