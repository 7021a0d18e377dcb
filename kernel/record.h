// Capturing live audit records from the kernel's netlink multicast group (read-only, so it
// coexists with a running auditd) into the raw audit.log format auditd writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/sys_error.h"

namespace af::kernel {

struct RecordOptions {
  std::string output;                 // written atomically: OUT.tmp, renamed at the end
  double duration_seconds = 0;        // 0: until the command exits, or until SIGINT/SIGTERM
  std::vector<std::string> command;   // run and record until it exits (plus `drain_ms`)
  std::optional<uint32_t> mark_auid;  // give the command its own login uid
  uint32_t drain_ms = 500;            // records arrive after the syscalls that made them
  bool quiet = false;
};

struct RecordStats {
  uint64_t records = 0, events = 0, bytes = 0;
  uint64_t skipped_eoe = 0;      // EOE records: auditd does not write them either
  uint64_t lost_kernel = 0;      // growth of the kernel's lost counter during the recording
  uint64_t serial_gaps = 0;      // serial numbers never seen between the first and the last
  uint64_t socket_overruns = 0;  // ENOBUFS: the receive buffer overflowed
  bool enabled_changed = false;  // auditing was off and was switched on for the recording
  int command_status = -1;       // the command's exit status (wait status decoded), -1 none
  double seconds = 0;
};

/// Records until the command exits, the duration passes or SIGINT/SIGTERM arrives. Needs
/// CAP_AUDIT_READ (and CAP_AUDIT_CONTROL to switch auditing on when it is off; it is switched
/// back off afterwards, never to 2).
Expected<RecordStats> record(const RecordOptions& options);

/// One multicast record as auditd's raw format writes it: "type=NAME msg=audit(...): body".
std::string format_raw_record(uint32_t type, const char* data, size_t length);

}  // namespace af::kernel
