#include "cli/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

namespace af::cli {
namespace {

Expected<void> write_all(int fd, std::string_view content, const std::string& name) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(sys_error_from_errno("write", name));
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Expected<void> write_file_atomically(const std::string& path, std::string_view content) {
  std::string tmp_template = path + ".tmp.XXXXXX";
  std::vector<char> tmp(tmp_template.begin(), tmp_template.end());
  tmp.push_back('\0');
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return tl::unexpected(sys_error_from_errno("create a temporary file for", path));
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
  auto written = write_all(fd, content, path);
  if (written && ::fsync(fd) != 0) written = tl::unexpected(sys_error_from_errno("sync", path));
  ::close(fd);
  if (written && ::rename(tmp.data(), path.c_str()) != 0)
    written = tl::unexpected(sys_error_from_errno("replace", path));
  if (!written) ::unlink(tmp.data());
  return written;
}

Expected<void> write_stdout(std::string_view content) {
  return write_all(STDOUT_FILENO, content, "<stdout>");
}

void print_error(std::string_view message) {
  std::fprintf(stderr, "auditforge: error: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

}  // namespace af::cli
