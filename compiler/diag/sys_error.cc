#include "compiler/diag/sys_error.h"

#include <cerrno>
#include <cstring>

namespace af {

std::string SysError::message() const {
  std::string out = "cannot " + what;
  if (!object.empty()) out += " '" + object + "'";
  if (!reason.empty()) out += ": " + reason;
  return out;
}

SysError sys_error_from_errno(std::string what, std::string object) {
  int e = errno;
  return SysError{std::move(what), std::move(object), std::strerror(e), e};
}

}  // namespace af
