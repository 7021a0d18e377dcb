// The inputs a run has read, kept whole so that diagnostics can quote their lines. File ids
// are 1-based indexes (0 = no file), as in ir::SourceRange.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace af::diag {

struct SourceFile {
  std::string name;   // as the user gave it ("-" for stdin), or dir/name inside a folder
  std::string bytes;  // the raw content; never decoded or normalised
  std::vector<uint32_t> line_starts;

  /// Line `n` (1-based) without its '\n'; empty if out of range.
  std::string_view line(uint32_t n) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts.size()); }
  /// True when the content is non-empty and does not end with '\n'.
  bool missing_final_newline() const { return !bytes.empty() && bytes.back() != '\n'; }
};

class SourceSet {
 public:
  /// Adds a file and returns its id. Ids and references stay valid for the set's lifetime.
  uint32_t add(std::string name, std::string bytes);
  const SourceFile& file(uint32_t id) const { return files_.at(id - 1); }
  uint32_t size() const { return static_cast<uint32_t>(files_.size()); }

 private:
  std::deque<SourceFile> files_;
};

}  // namespace af::diag
