#include "kernel/settings.h"

namespace af::kernel {

std::string_view setting_name(Setting s) {
  switch (s) {
    case Setting::Failure:
      return "failure";
    case Setting::RateLimit:
      return "rate_limit";
    case Setting::BacklogLimit:
      return "backlog_limit";
    case Setting::BacklogWaitTime:
      return "backlog_wait_time";
    case Setting::LoginuidImmutable:
      return "loginuid_immutable";
    case Setting::Enabled:
      return "enabled";
  }
  return "";
}

uint32_t setting_value(const Status& st, Setting s) {
  switch (s) {
    case Setting::Failure:
      return st.failure;
    case Setting::RateLimit:
      return st.rate_limit;
    case Setting::BacklogLimit:
      return st.backlog_limit;
    case Setting::BacklogWaitTime:
      return st.backlog_wait_time;
    case Setting::LoginuidImmutable:
      return st.loginuid_immutable ? 1 : 0;
    case Setting::Enabled:
      return st.enabled;
  }
  return 0;
}

}  // namespace af::kernel
