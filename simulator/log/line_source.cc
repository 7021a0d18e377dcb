#include "simulator/log/line_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace af::sim {
namespace {

// The read buffer of the last source destroyed on this thread. A log replayed in parts
// makes a source per part and per seam; a fresh buffer would be faulted in page by page
// each time (the kernel zeroing every page), which measured as much as the parts' reading.
struct SpareBuffer {
  std::unique_ptr<char[]> data;
  size_t size = 0;
};
thread_local SpareBuffer t_spare;

}  // namespace

LineSource::LineSource(std::vector<std::string> files) : files_(std::move(files)) { take_buffer(); }

LineSource::LineSource(std::string file, uint64_t begin, uint64_t end)
    : files_{std::move(file)}, begin_offset_(begin), left_(end - begin) {
  take_buffer();
}

LineSource::~LineSource() {
  if (fd_ >= 0) ::close(fd_);
  if (size_ > t_spare.size) {
    t_spare.data = std::move(buffer_);
    t_spare.size = size_;
  }
}

void LineSource::take_buffer() {
  if (t_spare.size >= 2 * block_bytes) {
    buffer_ = std::move(t_spare.data);
    size_ = t_spare.size;
    t_spare.size = 0;
  } else {
    size_ = 2 * block_bytes;
    buffer_.reset(new char[size_]);  // not zeroed: only what read() wrote is looked at
  }
}

bool LineSource::open_next() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (next_file_ >= files_.size()) return false;
  const std::string& name = files_[next_file_++];
  fd_ = name == "-" ? ::dup(STDIN_FILENO) : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = name + ": " + std::strerror(errno);
    return false;
  }
  if (begin_offset_ > 0 && ::lseek(fd_, static_cast<off_t>(begin_offset_), SEEK_SET) < 0) {
    error_ = name + ": " + std::strerror(errno);
    return false;
  }
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  eof_ = false;
  line_ = 0;
  begin_ = end_ = 0;
  return true;
}

// Moves the unread tail to the front and reads one more block; grows the buffer only for a
// line longer than what it holds.
bool LineSource::fill() {
  if (before_refill_) before_refill_();
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (size_ - end_ < block_bytes) {  // a line longer than the buffer holds
    std::unique_ptr<char[]> bigger(new char[size_ * 2]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    size_ *= 2;
  }
  for (;;) {
    size_t room = std::min(size_ - end_, block_bytes);
    if (left_ < room) room = static_cast<size_t>(left_);
    if (room == 0) {
      eof_ = true;
      return false;
    }
    ssize_t n = ::read(fd_, buffer_.get() + end_, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = files_[next_file_ - 1] + ": " + std::strerror(errno);
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<size_t>(n);
    if (left_ != UINT64_MAX) left_ -= static_cast<uint64_t>(n);
    bytes_read_ += static_cast<uint64_t>(n);
    return true;
  }
}

bool LineSource::next(std::string_view& line, LinePosition& where) {
  if (!error_.empty()) return false;
  if (fd_ < 0 && !open_next()) return false;
  for (;;) {
    const char* start = buffer_.get() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl != nullptr) {
      size_t len = static_cast<size_t>(static_cast<const char*>(nl) - start);
      line = std::string_view(start, len);
      begin_ += len + 1;
      where = {static_cast<uint32_t>(next_file_ - 1), ++line_};
      return true;
    }
    if (!eof_ && fill()) continue;
    if (!error_.empty()) return false;
    if (end_ > begin_) {  // a last line without a newline
      line = std::string_view(buffer_.get() + begin_, end_ - begin_);
      begin_ = end_;
      where = {static_cast<uint32_t>(next_file_ - 1), ++line_};
      return true;
    }
    if (!open_next()) return false;
  }
}

}  // namespace af::sim
