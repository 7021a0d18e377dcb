// Environment failures (open, read, write, netlink, kernel refusals) as values. Input
// problems are diagnostics instead; see diagnostic.h.
#pragma once

#include <string>
#include <tl/expected.hpp>

namespace af {

/// What was attempted, on what, and the system's reason in words.
struct SysError {
  std::string what;    // "open", "read", "netlink send", ...
  std::string object;  // a path, a socket, a rule
  std::string reason;  // strerror text or an explanation
  int error = 0;       // errno, 0 if none

  /// "cannot open 'x': No such file or directory"
  std::string message() const;
};

template <typename T>
using Expected = tl::expected<T, SysError>;

/// A SysError from the current errno.
SysError sys_error_from_errno(std::string what, std::string object);

}  // namespace af
