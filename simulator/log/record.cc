#include "simulator/log/record.h"

#include <charconv>

namespace af::sim {
namespace {

bool take_prefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

template <typename T>
bool take_number(std::string_view& s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end == s.data()) return false;
  s.remove_prefix(static_cast<size_t>(end - s.data()));
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool parse_record(std::string_view line, Record& out) {
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
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  out.type = line.substr(0, sp);
  line.remove_prefix(sp + 1);
  if (!take_prefix(line, "msg=audit(")) return false;
  if (!take_number(line, out.seconds) || !take_prefix(line, ".")) return false;
  std::string_view millis = line.substr(0, line.find(':'));
  if (millis.empty() || !take_number(line, out.millis) || !take_prefix(line, ":")) return false;
  // auditd's own DAEMON_* records of older versions have no ':' after the ')'.
  if (!take_number(line, out.serial) || !take_prefix(line, ")")) return false;
  take_prefix(line, ":");
  if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  out.body = line;
  return true;
}

bool FieldCursor::next(std::string_view& name, std::string_view& value) {
  while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
  if (rest_.empty()) return false;
  size_t eq = rest_.find('=');
  size_t sp = rest_.find(' ');
  if (eq == std::string_view::npos || (sp != std::string_view::npos && sp < eq)) {
    // A word without '=' (some records carry bare words): skip it.
    rest_.remove_prefix(sp == std::string_view::npos ? rest_.size() : sp);
    return next(name, value);
  }
  name = rest_.substr(0, eq);
  rest_.remove_prefix(eq + 1);
  size_t end;
  if (!rest_.empty() && (rest_.front() == '\'' || rest_.front() == '"')) {
    size_t close = rest_.find(rest_.front(), 1);
    end = close == std::string_view::npos ? rest_.size() : close + 1;
  } else {
    end = rest_.find(' ');
    if (end == std::string_view::npos) end = rest_.size();
  }
  value = rest_.substr(0, end);
  rest_.remove_prefix(end);
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
