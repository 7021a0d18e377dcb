#include "compiler/diag/source_set.h"

namespace af::diag {

std::string_view SourceFile::line(uint32_t n) const {
  if (n == 0 || n > line_starts.size()) return {};
  size_t begin = line_starts[n - 1];
  size_t end = n < line_starts.size() ? line_starts[n] - 1 : bytes.size();
  if (n == line_starts.size() && end > begin && bytes[end - 1] == '\n') --end;
  return std::string_view(bytes).substr(begin, end - begin);
}

uint32_t SourceSet::add(std::string name, std::string bytes) {
  SourceFile f{std::move(name), std::move(bytes), {}};
  f.line_starts.push_back(0);
  for (size_t i = 0; i < f.bytes.size(); ++i)
    if (f.bytes[i] == '\n' && i + 1 < f.bytes.size()) f.line_starts.push_back(uint32_t(i + 1));
  if (f.bytes.empty()) f.line_starts.clear();
  files_.push_back(std::move(f));
  return static_cast<uint32_t>(files_.size());
}

}  // namespace af::diag
