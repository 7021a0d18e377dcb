// Writing results: to stdout, or atomically to a file so that a failure never leaves a
// half-written output behind.
#pragma once

#include <string>
#include <string_view>

#include "compiler/diag/sys_error.h"

namespace af::cli {

/// Writes `content` to `path` through a temporary file in the same directory and a rename;
/// keeps the permissions of an existing file.
Expected<void> write_file_atomically(const std::string& path, std::string_view content);

/// Writes to stdout, reporting a failed write (a closed pipe, a full disk).
Expected<void> write_stdout(std::string_view content);

/// Prints a run diagnostic ("auditforge: error: ...") to stderr.
void print_error(std::string_view message);

}  // namespace af::cli
