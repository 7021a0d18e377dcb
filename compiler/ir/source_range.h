// Locations in input files. Lines and columns are 1-based; a column counts bytes (a tab is
// one column), as compilers and auditctl's own messages do.
#pragma once

#include <cstdint>

namespace af::ir {

/// A byte range on one line of an input. `file` indexes the SourceSet the input was loaded
/// into (1-based); 0 means "no location".
struct SourceRange {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t column = 0;      // first byte, 1-based
  uint32_t end_column = 0;  // one past the last byte; equal to column for a point

  bool valid() const { return file != 0 && line != 0; }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

}  // namespace af::ir
