// AuditPort over the audit netlink socket, through libaudit's public calls. Each of them
// sends with NLM_F_ACK and reads the kernel's NLMSG_ERROR reply before returning (libaudit
// lib/netlink.c, check_ack), so a refusal is seen on the message that caused it, as a
// negative errno.
#include <libaudit.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "kernel/audit_port.h"

namespace af::kernel {
namespace {

constexpr uint32_t kPrependFlag = 0x10;  // AUDIT_FILTER_PREPEND

SysError refusal(const char* what, int err) {
  return SysError{what, "the kernel's audit netlink socket", std::strerror(err), err};
}

Expected<void> acked(int rc, const char* what) {
  if (rc < 0) return tl::unexpected(refusal(what, -rc));
  return {};
}

class NetlinkPort final : public AuditPort {
 public:
  explicit NetlinkPort(int fd) : fd_(fd) {}
  ~NetlinkPort() override { audit_close(fd_); }
  NetlinkPort(const NetlinkPort&) = delete;
  NetlinkPort& operator=(const NetlinkPort&) = delete;

  Expected<Status> status() override { return read_status(); }
  Expected<std::vector<RuleBytes>> rules() override { return list_rules(); }

  Expected<void> add_rule(std::span<const uint8_t> rule, bool prepend) override {
    audit_rule_data* data = copy(rule);
    if (!data) return tl::unexpected(refusal("add a rule to", EINVAL));
    int flags = static_cast<int>(data->flags | (prepend ? kPrependFlag : 0));
    return acked(audit_add_rule_data(fd_, data, flags, static_cast<int>(data->action)),
                 "add a rule to");
  }

  Expected<void> delete_rule(std::span<const uint8_t> rule) override {
    audit_rule_data* data = copy(rule);
    if (!data) return tl::unexpected(refusal("delete a rule from", EINVAL));
    return acked(audit_delete_rule_data(fd_, data, static_cast<int>(data->flags),
                                        static_cast<int>(data->action)),
                 "delete a rule from");
  }

  Expected<void> set(Setting setting, uint32_t value) override {
    switch (setting) {
      case Setting::Failure:
        return acked(audit_set_failure(fd_, value), "set failure on");
      case Setting::RateLimit:
        return acked(audit_set_rate_limit(fd_, value), "set rate_limit on");
      case Setting::BacklogLimit:
        return acked(audit_set_backlog_limit(fd_, value), "set backlog_limit on");
      case Setting::BacklogWaitTime:
        return acked(audit_set_backlog_wait_time(fd_, value), "set backlog_wait_time on");
      case Setting::Enabled:
        return acked(audit_set_enabled(fd_, value), "set enabled on");
      case Setting::LoginuidImmutable:
        // auditctl --loginuid-immutable: sets the feature and locks it until reboot. There
        // is no way back, so a request to clear it is refused here.
        if (value == 0) return tl::unexpected(refusal("clear loginuid_immutable on", EPERM));
        return acked(audit_set_loginuid_immutable(fd_), "set loginuid_immutable on");
    }
    return tl::unexpected(refusal("change a setting of", EINVAL));
  }

 private:
  // libaudit's calls take a mutable rule (they write flags and action into it).
  audit_rule_data* copy(std::span<const uint8_t> rule) {
    if (rule.size() < sizeof(audit_rule_data)) return nullptr;
    buffer_.assign(rule.begin(), rule.end());
    return reinterpret_cast<audit_rule_data*>(buffer_.data());
  }

  int fd_;
  std::vector<uint8_t> buffer_;
};

}  // namespace

Expected<std::unique_ptr<AuditPort>> open_netlink_port() {
  // libaudit prints its own error lines to stderr by default; load reports errors itself.
  set_aumessage_mode(MSG_QUIET, DBG_NO);
  int fd = audit_open();
  if (fd < 0) return tl::unexpected(refusal("open", errno));
  return std::unique_ptr<AuditPort>(std::make_unique<NetlinkPort>(fd));
}

}  // namespace af::kernel
