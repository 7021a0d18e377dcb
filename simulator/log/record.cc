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

// The parsing below moves a pointer through the line rather than shrinking a string_view:
// a view the helpers modify through a reference is kept in memory, and reading it back
// whole after two half-writes stalls every line.

// Whether [p, end) starts with `prefix`. A memcmp of constant size compiles to a few word
// comparisons, without a branch per byte (several times per line).
template <size_t N>
bool take_prefix(const char*& p, const char* end, const char (&prefix)[N]) {
  constexpr size_t n = N - 1;
  if (static_cast<size_t>(end - p) < n || std::memcmp(p, prefix, n) != 0) return false;
  p += n;
  return true;
}

// A decimal number at p (every line has three), summed as its digits are read; a number
// too long for that to be safe goes through from_chars (which rejects overflow).
template <typename T>
bool take_number(const char*& p, const char* end, T& out) {
  constexpr size_t kSafe = static_cast<size_t>(std::numeric_limits<T>::digits10);
  const size_t size = static_cast<size_t>(end - p);
  const size_t limit = std::min(size, kSafe);
  T value = 0;
  size_t digits = 0;
  for (; digits < limit; ++digits) {
    unsigned d = static_cast<unsigned char>(p[digits]) - unsigned{'0'};
    if (d > 9) break;
    value = value * 10 + static_cast<T>(d);
  }
  if (digits == 0) return false;
  if (digits == kSafe && digits < size && p[digits] >= '0' && p[digits] <= '9') {
    while (digits < size && p[digits] >= '0' && p[digits] <= '9') ++digits;
    auto [stop, ec] = std::from_chars(p, p + digits, value);
    if (ec != std::errc() || stop != p + digits) return false;
  }
  out = value;
  p += digits;
  return true;
}

// Whether n bytes at a and b are equal. Stamps are 16 to 32 bytes long (SEC is 10 digits
// until 2286): two overlapping 16-byte compares of constant size, which compile inline,
// instead of a call to memcmp for every record.
bool same_stamp(const char* a, const char* b, size_t n) {
  if (n < 16 || n > 32) return std::memcmp(a, b, n) == 0;
  return std::memcmp(a, b, 16) == 0 && std::memcmp(a + n - 16, b + n - 16, 16) == 0;
}

// "SEC.MS:SERIAL)" at p, up to and including the ')'.
bool take_stamp(const char*& p, const char* end, Record& out) {
  return take_number(p, end, out.seconds) && take_prefix(p, end, ".") &&
         take_number(p, end, out.millis) && take_prefix(p, end, ":") &&
         take_number(p, end, out.serial) && take_prefix(p, end, ")");
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

namespace {

// 8 bytes as the little-endian number they make.
constexpr uint64_t word_of(const char (&s)[9]) {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; ++i)
    w |= static_cast<uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  return w;
}

// The length of the record type at p when it is one of the types nearly every line has, told
// from one 8-byte load (with the ' ' after it), and its kind; 0 otherwise. Scanning a type
// of varying length byte by byte costs a mispredicted branch per line.
size_t known_type(const char* p, const char* end, RecordKind& kind) {
  if (end - p < 16) return 0;
  uint64_t w;
  std::memcpy(&w, p, 8);
  constexpr uint64_t kMask4 = 0xffffffffu, kMask5 = 0xffffffffffu;
  if (w == word_of("SYSCALL ")) {
    kind = RecordKind::Syscall;
    return 7;
  }
  if (w == word_of("PROCTITL") && p[8] == 'E' && p[9] == ' ') {
    kind = RecordKind::Proctitle;
    return 9;
  }
  if ((w & kMask5) == (word_of("PATH    ") & kMask5)) {
    kind = RecordKind::Path;
    return 4;
  }
  if ((w & kMask4) == (word_of("CWD     ") & kMask4)) {
    kind = RecordKind::Cwd;
    return 3;
  }
  if ((w & kMask4) == (word_of("EOE     ") & kMask4)) {
    kind = RecordKind::Eoe;
    return 3;
  }
  return 0;
}

}  // namespace

bool parse_record(std::string_view line, Record& out, StampMemo* memo) {
  const char* p = line.data();
  const char* end = p + line.size();
  // auditd's ENRICHED format appends interpretations after byte 0x1D.
  out = Record{};
  if (line.empty()) return false;
  if (const void* gs = std::memchr(p, '\x1d', line.size())) end = static_cast<const char*>(gs);
  while (end > p && (end[-1] == ' ' || end[-1] == '\r')) --end;
  if (take_prefix(p, end, "node=")) {
    const void* sp = std::memchr(p, ' ', static_cast<size_t>(end - p));
    if (sp == nullptr) return false;
    out.node = std::string_view(p, static_cast<size_t>(static_cast<const char*>(sp) - p));
    p = static_cast<const char*>(sp) + 1;
  }
  if (!take_prefix(p, end, "type=")) return false;
  const char* type = p;
  if (size_t known = known_type(p, end, out.kind)) {
    p += known;
  } else {
    while (p < end && *p != ' ') ++p;  // type names are short: no memchr call
    if (p == end || p == type) return false;
    out.kind = record_kind(std::string_view(type, static_cast<size_t>(p - type)));
  }
  out.type = std::string_view(type, static_cast<size_t>(p - type));
  ++p;
  if (!take_prefix(p, end, "msg=audit(")) return false;
  if (memo && memo->size > 0 && static_cast<size_t>(end - p) >= memo->size &&
      same_stamp(p, memo->text, memo->size)) {
    // The stamp remembered ends in ')', so the same bytes are the same stamp.
    out.seconds = memo->seconds;
    out.millis = memo->millis;
    out.serial = memo->serial;
    p += memo->size;
  } else {
    const char* stamp = p;
    if (!take_stamp(p, end, out)) return false;
    if (memo) {
      size_t size = static_cast<size_t>(p - stamp);
      memo->size = size <= sizeof memo->text ? static_cast<uint8_t>(size) : 0;
      std::memcpy(memo->text, stamp, memo->size);
      memo->seconds = out.seconds;
      memo->millis = out.millis;
      memo->serial = out.serial;
    }
  }
  // auditd's own DAEMON_* records of older versions have no ':' after the ')'.
  if (p < end && *p == ':') ++p;
  if (p < end && *p == ' ') ++p;
  out.body = std::string_view(p, static_cast<size_t>(end - p));
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
