#include "kernel/record.h"

#include <fcntl.h>
#include <libaudit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "compiler/tables/tables.h"
#include "kernel/kernel.h"

namespace af::kernel {
namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

SysError error(const char* what, std::string object, int err) {
  return SysError{what, std::move(object), std::strerror(err), err};
}

// The serial of "audit(SEC.MS:SERIAL): ...", or 0.
uint64_t serial_of(const char* data, size_t length) {
  const char* colon = static_cast<const char*>(std::memchr(data, ':', length));
  if (!colon) return 0;
  uint64_t serial = 0;
  for (const char* p = colon + 1; p < data + length && *p >= '0' && *p <= '9'; ++p)
    serial = serial * 10 + static_cast<uint64_t>(*p - '0');
  return serial;
}

// Counts serial numbers never seen. Serials arrive nearly in order; a late one fills its gap.
class SerialTracker {
 public:
  static constexpr size_t kMaxMissing = 1 << 20;
  void see(uint64_t serial) {
    if (serial == 0) return;
    if (max_ == 0) {
      max_ = serial;
      return;
    }
    if (serial > max_) {
      for (uint64_t s = max_ + 1; s < serial; ++s) {
        if (missing_.size() >= kMaxMissing) {
          ++overflow_;
          continue;
        }
        missing_.insert(s);
      }
      max_ = serial;
    } else {
      missing_.erase(serial);
    }
  }
  uint64_t gaps() const { return missing_.size() + overflow_; }

 private:
  uint64_t max_ = 0, overflow_ = 0;
  std::set<uint64_t> missing_;
};

Expected<int> open_multicast() {
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
  if (fd < 0) return tl::unexpected(error("open", "the audit netlink socket", errno));
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = AUDIT_NLGRP_READLOG;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    int err = errno;
    ::close(fd);
    return tl::unexpected(error("join", "the audit multicast group (needs CAP_AUDIT_READ)", err));
  }
  int size = 16 << 20;  // a large buffer rides out bursts; root may exceed rmem_max
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  return fd;
}

Expected<void> set_enabled(uint32_t value) {
  int fd = audit_open();
  if (fd < 0) return tl::unexpected(error("open", "the audit netlink socket", errno));
  int rc = audit_set_enabled(fd, value);
  int err = errno;
  audit_close(fd);
  if (rc <= 0)
    return tl::unexpected(error("set enabled on", "the kernel audit subsystem", err ? err : EIO));
  return {};
}

pid_t start_command(const RecordOptions& o) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  if (o.mark_auid) {
    int fd = ::open("/proc/self/loginuid", O_WRONLY);
    std::string value = std::to_string(*o.mark_auid);
    if (fd < 0 || ::write(fd, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
      std::fprintf(stderr, "auditforge record: cannot set the login uid: %s\n",
                   std::strerror(errno));
      ::_exit(127);
    }
    ::close(fd);
  }
  std::vector<char*> argv;
  for (const std::string& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "auditforge record: cannot run %s: %s\n", argv[0], std::strerror(errno));
  ::_exit(127);
}

}  // namespace

std::string format_raw_record(uint32_t type, const char* data, size_t length) {
  while (length > 0 && (data[length - 1] == '\0' || data[length - 1] == '\n')) --length;
  std::string line = "type=";
  if (auto name = tables::msg_type_name(type))
    line.append(*name);
  else
    line += "UNKNOWN[" + std::to_string(type) + "]";
  line += " msg=";
  size_t start = line.size();
  line.append(data, length);
  // auditd replaces embedded newlines with spaces and trims one trailing space.
  for (size_t i = start; i < line.size(); ++i)
    if (line[i] == '\n') line[i] = ' ';
  if (!line.empty() && line.back() == ' ') line.pop_back();
  line += '\n';
  return line;
}

Expected<RecordStats> record(const RecordOptions& o) {
  RecordStats stats;
  auto before = read_status();
  if (!before) return tl::unexpected(before.error());
  auto sock = open_multicast();
  if (!sock) return tl::unexpected(sock.error());
  int fd = *sock;
  std::string tmp = o.output + ".tmp";
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(fd);
    return tl::unexpected(error("create", tmp, errno));
  }
  if (before->enabled == 0) {
    if (auto e = set_enabled(1); !e) {
      ::close(fd);
      ::close(out);
      ::unlink(tmp.c_str());
      return tl::unexpected(e.error());
    }
    stats.enabled_changed = true;
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  struct sigaction old_int {
  }, old_term{};
  ::sigaction(SIGINT, &sa, &old_int);
  ::sigaction(SIGTERM, &sa, &old_term);
  g_stop = 0;

  double start = now_seconds();
  double deadline = o.duration_seconds > 0 ? start + o.duration_seconds : 0;
  pid_t child = o.command.empty() ? -1 : start_command(o);
  SerialTracker serials;
  uint64_t last_serial = 0;
  std::string buffer;
  std::vector<char> packet(1 << 17);
  std::optional<SysError> failure;
  auto flush = [&]() {
    size_t done = 0;
    while (done < buffer.size()) {
      ssize_t n = ::write(out, buffer.data() + done, buffer.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        failure = error("write", tmp, errno);
        break;
      }
      done += static_cast<size_t>(n);
    }
    buffer.clear();
  };
  for (;;) {
    double now = now_seconds();
    if (child > 0) {
      int status = 0;
      if (::waitpid(child, &status, WNOHANG) == child) {
        stats.command_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        child = -1;
        deadline = now + o.drain_ms / 1000.0;
      }
    }
    if (g_stop || failure || (deadline > 0 && now >= deadline)) break;
    pollfd p{fd, POLLIN, 0};
    int wait_ms = 50;
    if (::poll(&p, 1, wait_ms) <= 0) continue;
    for (;;) {
      ssize_t n = ::recv(fd, packet.data(), packet.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == ENOBUFS) {
          ++stats.socket_overruns;
          continue;
        }
        break;  // EAGAIN, EINTR
      }
      int len = static_cast<int>(n);
      for (auto* h = reinterpret_cast<nlmsghdr*>(packet.data()); NLMSG_OK(h, len);
           h = NLMSG_NEXT(h, len)) {
        const char* data = static_cast<const char*>(NLMSG_DATA(h));
        size_t length = h->nlmsg_len - NLMSG_HDRLEN;
        if (h->nlmsg_type == AUDIT_EOE) {
          ++stats.skipped_eoe;
          continue;
        }
        // Netlink's own messages (NOOP, ERROR, DONE); every audit type the group carries is a
        // record, LOGIN (1006) and USER (1005) included.
        if (h->nlmsg_type < NLMSG_MIN_TYPE) continue;
        uint64_t serial = serial_of(data, length);
        serials.see(serial);
        if (serial != last_serial) {
          ++stats.events;
          last_serial = serial;
        }
        buffer += format_raw_record(h->nlmsg_type, data, length);
        ++stats.records;
      }
    }
    if (buffer.size() > (1u << 20)) flush();
  }
  flush();
  if (child > 0) {  // stopped early (signal, duration): the command was ours, stop it too
    ::kill(child, SIGTERM);
    int status = 0;
    ::waitpid(child, &status, 0);
    stats.command_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  stats.seconds = now_seconds() - start;
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  ::close(fd);
  if (stats.enabled_changed) {
    if (auto e = set_enabled(0); !e && !failure) failure = e.error();
  }
  if (auto after = read_status(); after && after->lost >= before->lost)
    stats.lost_kernel = after->lost - before->lost;
  stats.serial_gaps = serials.gaps();
  struct stat st {};
  if (::fstat(out, &st) == 0) stats.bytes = static_cast<uint64_t>(st.st_size);
  if (!failure && ::fsync(out) < 0) failure = error("sync", tmp, errno);
  ::close(out);
  if (!failure && ::rename(tmp.c_str(), o.output.c_str()) < 0)
    failure = error("rename", tmp, errno);
  if (failure) {
    ::unlink(tmp.c_str());
    return tl::unexpected(*failure);
  }
  return stats;
}

}  // namespace af::kernel
