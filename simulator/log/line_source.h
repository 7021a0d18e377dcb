// Reads audit.log lines from several files in order ("-" is stdin), in large blocks, so that
// the simulator streams logs of any size in constant memory at close to read(2) speed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/sys_error.h"

namespace af::sim {

struct LinePosition {
  uint32_t file = 0;  // index into the file list
  uint64_t line = 0;  // 1-based
};

class LineSource {
 public:
  /// `files` are read one after the other (rotated logs: give the oldest first).
  explicit LineSource(std::vector<std::string> files);
  /// Bytes [begin, end) of one file, which must start and end at line boundaries (a part of
  /// a log replayed on its own thread). Lines are numbered from 1 within the part.
  LineSource(std::string file, uint64_t begin, uint64_t end);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  /// The next line without its newline. It stays valid until the buffer is refilled (see
  /// before_refill) or the source is destroyed. False at the end of the last file; an
  /// unreadable file stops the source with its error in `error()`.
  bool next(std::string_view& line, LinePosition& where);
  /// Called before the buffer is refilled, which overwrites the lines returned so far: a
  /// reader that holds on to lines copies them then (once per block, not once per line).
  void before_refill(std::function<void()> hook) { before_refill_ = std::move(hook); }

  /// Bytes read per block. Tests shrink it so that lines often cross block boundaries.
  static inline size_t block_bytes = size_t{1} << 20;

  const std::vector<std::string>& files() const { return files_; }
  const std::string& error() const { return error_; }
  /// Bytes read so far over all files (for progress and throughput).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool open_next();
  bool fill();

  std::vector<std::string> files_;
  size_t next_file_ = 0;
  int fd_ = -1;
  bool eof_ = false;
  uint64_t line_ = 0;
  void take_buffer();

  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buffer_[begin_, end_)
  uint64_t bytes_read_ = 0;
  uint64_t begin_offset_ = 0;   // where the first file is read from
  uint64_t left_ = UINT64_MAX;  // bytes the range still allows
  std::string error_;
  std::function<void()> before_refill_;
};

}  // namespace af::sim
