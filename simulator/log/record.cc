#include "simulator/log/record.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace af::sim {
namespace {

// Runs several times per line: compared inline rather than through memcmp.
template <size_t N>
bool take_prefix(std::string_view& s, const char (&prefix)[N]) {
  constexpr size_t n = N - 1;
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (s[i] != prefix[i]) return false;
  s.remove_prefix(n);
  return true;
}

// A decimal number at the front of `s` (every line has three), summed as its digits are
// read; a number too long for that to be safe goes through from_chars (which rejects
// overflow).
template <typename T>
bool take_number(std::string_view& s, T& out) {
  constexpr size_t kSafe = static_cast<size_t>(std::numeric_limits<T>::digits10);
  const size_t limit = std::min(s.size(), kSafe);
  T value = 0;
  size_t digits = 0;
  for (; digits < limit; ++digits) {
    unsigned d = static_cast<unsigned char>(s[digits]) - unsigned{'0'};
    if (d > 9) break;
    value = value * 10 + static_cast<T>(d);
  }
  if (digits == 0) return false;
  if (digits == kSafe && digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    auto [end, ec] = std::from_chars(s.data(), s.data() + digits, value);
    if (ec != std::errc() || end != s.data() + digits) return false;
  }
  out = value;
  s.remove_prefix(digits);
  return true;
}

// "SEC.MS:SERIAL)" at the front of `s`, up to and including the ')'.
bool take_stamp(std::string_view& s, Record& out) {
  return take_number(s, out.seconds) && take_prefix(s, ".") && take_number(s, out.millis) &&
         take_prefix(s, ":") && take_number(s, out.serial) && take_prefix(s, ")");
}

// The first ' ' in [p, end), or end. Values are mostly short (ids, hex arguments) but some
// are long (paths, proctitle): 16 bytes are tested at a time where SSE2 exists.
const char* find_space(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  while (end - p >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, space));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != ' ') ++p;
  return p;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

RecordKind record_kind(std::string_view type) {
  switch (type.size()) {
    case 3:
      if (type == "CWD") return RecordKind::Cwd;
      return type == "EOE" ? RecordKind::Eoe : RecordKind::Other;
    case 4:
      return type == "PATH" ? RecordKind::Path : RecordKind::Other;
    case 7:
      if (type == "SYSCALL") return RecordKind::Syscall;
      return type == "OPENAT2" ? RecordKind::Openat2 : RecordKind::Other;
    case 8:
      return type == "SOCKADDR" ? RecordKind::Sockaddr : RecordKind::Other;
    case 9:
      return type == "PROCTITLE" ? RecordKind::Proctitle : RecordKind::Other;
    default:
      return RecordKind::Other;
  }
}

bool parse_record(std::string_view line, Record& out, StampMemo* memo) {
  // auditd's ENRICHED format appends interpretations after byte 0x1D.
  if (size_t gs = line.find('\x1d'); gs != std::string_view::npos) line = line.substr(0, gs);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  out = Record{};
  if (take_prefix(line, "node=")) {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return false;
    out.node = line.substr(0, sp);
    line.remove_prefix(sp + 1);
  }
  if (!take_prefix(line, "type=")) return false;
  size_t sp = 0;  // type names are short: no memchr call
  while (sp < line.size() && line[sp] != ' ') ++sp;
  if (sp == line.size() || sp == 0) return false;
  out.type = line.substr(0, sp);
  out.kind = record_kind(out.type);
  line.remove_prefix(sp + 1);
  if (!take_prefix(line, "msg=audit(")) return false;
  if (memo && memo->size > 0 && line.size() >= memo->size &&
      std::memcmp(line.data(), memo->text, memo->size) == 0) {
    // The stamp remembered ends in ')', so the same bytes are the same stamp.
    out.seconds = memo->seconds;
    out.millis = memo->millis;
    out.serial = memo->serial;
    line.remove_prefix(memo->size);
  } else {
    const char* stamp = line.data();
    if (!take_stamp(line, out)) return false;
    if (memo) {
      size_t size = static_cast<size_t>(line.data() - stamp);
      memo->size = size <= sizeof memo->text ? static_cast<uint8_t>(size) : 0;
      std::memcpy(memo->text, stamp, memo->size);
      memo->seconds = out.seconds;
      memo->millis = out.millis;
      memo->serial = out.serial;
    }
  }
  // auditd's own DAEMON_* records of older versions have no ':' after the ')'.
  take_prefix(line, ":");
  if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  out.body = line;
  return true;
}

bool FieldCursor::next(std::string_view& name, std::string_view& value) {
  // One pass over short fields: scanning byte by byte beats two memchr calls per field.
  const char* p = rest_.data();
  const char* const end = p + rest_.size();
  for (;;) {
    while (p < end && *p == ' ') ++p;
    if (p == end) {
      rest_ = {};
      return false;
    }
    const char* start = p;
    while (p < end && *p != '=' && *p != ' ') ++p;
    if (p < end && *p == '=') {
      name = std::string_view(start, static_cast<size_t>(p - start));
      ++p;
      break;
    }
    // A word without '=' (some records carry bare words): skip it.
  }
  const char* value_start = p;
  if (p < end && (*p == '\'' || *p == '"')) {
    const void* close = std::memchr(p + 1, *p, static_cast<size_t>(end - p - 1));
    p = close ? static_cast<const char*>(close) + 1 : end;
  } else {
    p = find_space(p, end);
  }
  value = std::string_view(value_start, static_cast<size_t>(p - value_start));
  rest_ = std::string_view(p, static_cast<size_t>(end - p));
  return true;
}

std::string_view decode_value(std::string_view value, bool hex_encoded, std::string& scratch) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front())
    return value.substr(1, value.size() - 2);
  if (!hex_encoded || value.empty() || value.size() % 2 != 0) return value;
  scratch.clear();
  for (size_t i = 0; i < value.size(); i += 2) {
    int hi = hex_digit(value[i]), lo = hex_digit(value[i + 1]);
    if (hi < 0 || lo < 0) return value;
    scratch += static_cast<char>(hi * 16 + lo);
  }
  return scratch;
}

}  // namespace af::sim
