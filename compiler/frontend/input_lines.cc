#include "compiler/frontend/input_lines.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace af::frontend {
namespace {

Expected<std::string> read_fd(int fd, const std::string& name) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(sys_error_from_errno("read", name));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Expected<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(sys_error_from_errno("open", path));
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return tl::unexpected(SysError{"read", path, "is a directory", EISDIR});
  }
  auto content = read_fd(fd, path);
  ::close(fd);
  return content;
}

// The order of `ls -1v`, which augenrules uses: digit runs compare as numbers.
bool version_less(const std::string& a, const std::string& b) {
  return ::strverscmp(a.c_str(), b.c_str()) < 0;
}

Expected<std::vector<std::string>> rules_files_in(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return tl::unexpected(sys_error_from_errno("open directory", dir));
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    // ls hides dot files; augenrules then keeps names ending in ".rules".
    if (name.empty() || name[0] == '.') continue;
    if (name.size() < 6 || name.compare(name.size() - 6, 6, ".rules") != 0) continue;
    names.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end(), version_less);
  return names;
}

// mawk reads "\s" in augenrules' patterns as the letter 's'.
bool starts_with_option(std::string_view line, std::string_view option) {
  size_t i = 0;
  while (i < line.size() && line[i] == 's') ++i;
  return line.substr(i).starts_with(option);
}

bool is_bare_delete_all(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == 's') ++i;
  if (line.substr(i, 2) != "-D") return false;
  for (i += 2; i < line.size(); ++i)
    if (line[i] != 's') return false;
  return true;
}

}  // namespace

Expected<std::string> read_input(const std::string& path) {
  if (path == "-") return read_fd(STDIN_FILENO, "<stdin>");
  return read_file(path);
}

std::vector<InputLine> lines_of(const diag::SourceSet& sources, uint32_t file) {
  const diag::SourceFile& f = sources.file(file);
  std::vector<InputLine> out;
  out.reserve(f.line_count());
  for (uint32_t n = 1; n <= f.line_count(); ++n) out.push_back({file, n, f.line(n)});
  return out;
}

std::vector<InputLine> augenrules_order(const std::vector<InputLine>& lines) {
  std::optional<InputLine> minus_e, minus_D, minus_f, minus_b;
  std::vector<InputLine> rest;
  for (const InputLine& l : lines) {
    if (l.text.empty()) continue;
    if (starts_with_option(l.text, "#")) continue;
    if (starts_with_option(l.text, "-e")) {
      minus_e = l;
    } else if (is_bare_delete_all(l.text)) {
      minus_D = l;
    } else if (starts_with_option(l.text, "-f")) {
      minus_f = l;
    } else if (starts_with_option(l.text, "-b")) {
      minus_b = l;
    } else {
      rest.push_back(l);
    }
  }
  std::vector<InputLine> out;
  out.reserve(rest.size() + 4);
  for (const auto* l : {&minus_D, &minus_b, &minus_f})
    if (*l) out.push_back(**l);
  out.insert(out.end(), rest.begin(), rest.end());
  if (minus_e) out.push_back(*minus_e);
  return out;
}

Expected<std::vector<InputLine>> load_rule_lines(const std::string& path, diag::SourceSet& sources,
                                                 diag::DiagnosticSink& diags) {
  if (path == "-") {
    auto content = read_fd(STDIN_FILENO, "<stdin>");
    if (!content) return tl::unexpected(content.error());
    return lines_of(sources, sources.add("-", std::move(*content)));
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return tl::unexpected(sys_error_from_errno("open", path));
  if (!S_ISDIR(st.st_mode)) {
    auto content = read_file(path);
    if (!content) return tl::unexpected(content.error());
    return lines_of(sources, sources.add(path, std::move(*content)));
  }
  auto names = rules_files_in(path);
  if (!names) return tl::unexpected(names.error());
  std::vector<InputLine> all;
  std::string dir = path.ends_with('/') ? path : path + "/";
  for (size_t i = 0; i < names->size(); ++i) {
    std::string file = dir + (*names)[i];
    auto content = read_file(file);
    if (!content) return tl::unexpected(content.error());
    uint32_t id = sources.add(file, std::move(*content));
    const diag::SourceFile& f = sources.file(id);
    if (f.missing_final_newline() && i + 1 < names->size()) {
      diags.report(
          diag::Kind::InputNotNewlineTerminated,
          {id, f.line_count(), static_cast<uint32_t>(f.line(f.line_count()).size() + 1), 0},
          fmt::format("'{}' does not end with a newline; augenrules joins this line "
                      "with the first line of '{}'",
                      (*names)[i], (*names)[i + 1]));
    }
    auto lines = lines_of(sources, id);
    all.insert(all.end(), lines.begin(), lines.end());
  }
  return augenrules_order(all);
}

}  // namespace af::frontend
