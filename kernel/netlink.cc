#include <libaudit.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/kernel.h"

namespace af::kernel {
namespace {

// An open audit netlink socket, closed on scope exit.
class Socket {
 public:
  Socket() : fd_(audit_open()) {}
  ~Socket() {
    if (fd_ >= 0) audit_close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

SysError netlink_error(const char* what, int err) {
  return SysError{what, "the kernel's audit netlink socket", std::strerror(err), err};
}

// Reads replies until one of `type` arrives (or an error). Acks are skipped.
Expected<audit_reply> wait_for(int fd, int type, const char* what) {
  for (int tries = 0; tries < 64; ++tries) {
    audit_reply rep;
    int rc = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
    if (rc <= 0) return tl::unexpected(netlink_error(what, errno ? errno : EIO));
    if (rep.type == NLMSG_ERROR) {
      if (rep.error->error == 0) continue;
      return tl::unexpected(netlink_error(what, -rep.error->error));
    }
    if (rep.type == type) return rep;
  }
  return tl::unexpected(netlink_error(what, ETIMEDOUT));
}

}  // namespace

Expected<Status> read_status() {
  Socket s;
  if (s.fd() < 0) return tl::unexpected(netlink_error("open", errno));
  if (audit_request_status(s.fd()) <= 0)
    return tl::unexpected(netlink_error("request the status from", errno));
  auto rep = wait_for(s.fd(), AUDIT_GET, "read the status from");
  if (!rep) return tl::unexpected(rep.error());
  Status st;
  const audit_status* k = rep->status;
  st.enabled = k->enabled;
  st.failure = k->failure;
  st.pid = k->pid;
  st.rate_limit = k->rate_limit;
  st.backlog_limit = k->backlog_limit;
  st.lost = k->lost;
  st.backlog = k->backlog;
  st.feature_bitmap = k->feature_bitmap;
  st.backlog_wait_time = k->backlog_wait_time;
  st.backlog_wait_time_actual = k->backlog_wait_time_actual;
  if (audit_request_features(s.fd()) > 0) {
    auto f = wait_for(s.fd(), AUDIT_GET_FEATURE, "read the features from");
    if (f) {
      uint32_t bit = AUDIT_FEATURE_TO_MASK(AUDIT_FEATURE_LOGINUID_IMMUTABLE);
      if (f->features->mask & bit) {
        st.have_loginuid_feature = true;
        st.loginuid_immutable = (f->features->features & bit) != 0;
        st.loginuid_locked = (f->features->lock & bit) != 0;
      }
    }
  }
  return st;
}

Expected<std::vector<std::vector<uint8_t>>> list_rules() {
  Socket s;
  if (s.fd() < 0) return tl::unexpected(netlink_error("open", errno));
  if (audit_request_rules_list_data(s.fd()) <= 0)
    return tl::unexpected(netlink_error("request the rules from", errno));
  std::vector<std::vector<uint8_t>> rules;
  for (;;) {
    audit_reply rep;
    int rc = audit_get_reply(s.fd(), &rep, GET_REPLY_BLOCKING, 0);
    if (rc <= 0) return tl::unexpected(netlink_error("read the rules from", errno ? errno : EIO));
    if (rep.type == NLMSG_DONE) break;
    if (rep.type == NLMSG_ERROR) {
      if (rep.error->error == 0) continue;
      return tl::unexpected(netlink_error("list the rules of", -rep.error->error));
    }
    if (rep.type != AUDIT_LIST_RULES) continue;
    const auto* data = reinterpret_cast<const uint8_t*>(rep.ruledata);
    rules.emplace_back(data, data + sizeof(audit_rule_data) + rep.ruledata->buflen);
  }
  return rules;
}

}  // namespace af::kernel
