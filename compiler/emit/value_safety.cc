#include "compiler/emit/value_safety.h"

#include <fmt/format.h>

namespace af::emit {
namespace {

// Decodes one UTF-8 sequence at `i`; returns the code point and advances, or nullopt on an
// invalid sequence.
std::optional<uint32_t> next_code_point(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return std::nullopt;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 2) return std::nullopt;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms and surrogates are invalid.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return std::nullopt;
  i += len;
  return cp;
}

bool is_unicode_space(uint32_t cp) {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

}  // namespace

std::optional<std::string> yaml_unsafe(std::string_view value) {
  for (size_t i = 0; i < value.size();) {
    size_t at = i;
    auto cp = next_code_point(value, i);
    if (!cp) return fmt::format("invalid UTF-8 at byte {}", at);
    if (*cp < 0x20 || *cp == 0x7F) return fmt::format("control byte 0x{:02x} at byte {}", *cp, at);
    if (*cp == 0x85 || *cp == 0x2028 || *cp == 0x2029)
      return fmt::format("Unicode line separator U+{:04X} at byte {}", *cp, at);
  }
  return std::nullopt;
}

std::optional<std::string> has_unicode_space(std::string_view value) {
  for (size_t i = 0; i < value.size();) {
    size_t at = i;
    auto cp = next_code_point(value, i);
    if (!cp) return fmt::format("invalid UTF-8 at byte {}", at);
    if (is_unicode_space(*cp)) return fmt::format("whitespace U+{:04X} at byte {}", *cp, at);
  }
  return std::nullopt;
}

std::string shell_word(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("_./:@%+=,-&!<>").find(c) != std::string_view::npos;
    if (!ok) plain = false;
  }
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace af::emit
