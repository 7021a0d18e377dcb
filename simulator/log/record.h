// One audit.log line as auditd writes it: "[node=N ]type=T msg=audit(SEC.MS:SERIAL): BODY",
// with an ENRICHED tail after byte 0x1D. Parsing borrows from the line; nothing is copied.
// The event grouping and the evaluator (issue #4) build on this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace af::sim {

/// The record types the evaluator reads, told apart once per record rather than by string
/// comparisons wherever they are needed.
enum class RecordKind : uint8_t { Other, Syscall, Path, Cwd, Sockaddr, Openat2, Proctitle, Eoe };

RecordKind record_kind(std::string_view type);

struct Record {
  std::string_view node;  // empty when the line has no node= prefix
  std::string_view type;  // "SYSCALL", "PATH", "UNKNOWN[1334]", ...
  RecordKind kind = RecordKind::Other;
  uint64_t seconds = 0;
  uint32_t millis = 0;
  uint64_t serial = 0;
  std::string_view body;  // the raw name=value part, the enriched tail cut off
};

/// The time stamp of the last record parsed. The records of an event follow one another and
/// share it, so a reader that keeps one compares the stamp's bytes instead of parsing them.
struct StampMemo {
  char text[40];
  uint8_t size = 0;  // 0: nothing remembered
  uint64_t seconds = 0;
  uint32_t millis = 0;
  uint64_t serial = 0;
};

/// Parses `line` (without its newline). False for a line that is not an audit record; the
/// caller counts it as malformed.
bool parse_record(std::string_view line, Record& out, StampMemo* memo = nullptr);

/// Walks the name=value pairs of a record body. Values keep auditd's encoding; decode_value
/// turns them into bytes.
class FieldCursor {
 public:
  explicit FieldCursor(std::string_view body) : rest_(body) {}
  /// The next pair, or false at the end. A msg='...' part of user records is one value.
  bool next(std::string_view& name, std::string_view& value);

 private:
  std::string_view rest_;
};

/// A field value as bytes: "quoted" loses its quotes, an unquoted even-length hex string is
/// decoded when `hex_encoded` (auditd hex-encodes untrusted strings that need it), anything
/// else is returned as is. Writes into `scratch` and returns a view of the result.
std::string_view decode_value(std::string_view value, bool hex_encoded, std::string& scratch);

}  // namespace af::sim
