// Noise and cost checks: rules that log far more than intended or are evaluated on every
// syscall, and, with --log, rules whose measured rate is above a threshold.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "compiler/tables/tables.h"
#include "linter/check_context.h"

namespace af::lint {
namespace {

template <typename F>
void for_each_always_exit_rule(const CheckContext& ctx, F&& f) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (!r.is_delete() && r.list == ir::List::Exit && r.action == ir::Action::Always) f(r);
  });
}

// The syscalls a busy host makes thousands of times per second.
constexpr std::array<std::string_view, 36> kHotSyscalls = {
    "read",        "write",    "readv",     "writev",       "pread64",        "pwrite64",
    "open",        "openat",   "close",     "mmap",         "munmap",         "mprotect",
    "brk",         "fstat",    "stat",      "lstat",        "newfstatat",     "statx",
    "lseek",       "futex",    "poll",      "ppoll",        "select",         "epoll_wait",
    "epoll_pwait", "recvfrom", "recvmsg",   "sendto",       "sendmsg",        "ioctl",
    "getdents64",  "access",   "faccessat", "rt_sigaction", "rt_sigprocmask", "nanosleep"};

bool is_hot(std::string_view name) {
  return std::find(kHotSyscalls.begin(), kHotSyscalls.end(), name) != kHotSyscalls.end();
}

bool narrows(const ir::Rule& r) {
  return std::any_of(r.fields.begin(), r.fields.end(),
                     [](const ir::Field& f) { return f.id != AUDIT_ARCH && f.id != AUDIT_PERM; });
}

bool path_under(std::string_view path, std::string_view root) {
  return path.substr(0, root.size()) == root &&
         (path.size() == root.size() || path[root.size()] == '/');
}

}  // namespace

void check_all_syscalls(const CheckContext& ctx, Reporter& out) {
  for_each_always_exit_rule(ctx, [&](const ir::Rule& r) {
    if (!r.mask.all() || is_watch(r)) return;
    // "-F arch=b32 -S all" on a 64-bit host is the 32-bit-ABI tripwire (stock
    // 21-no32bit.rules): it fires only for the rare 32-bit program.
    if (auto arch = r.arch(); arch && !tables::is_64bit_arch(*arch)) return;
    bool filtered = narrows(r);
    Finding& f = out.report(
        CheckId::NoiseAllSyscalls, r, r.origin.range,
        filtered ? std::string("rule has no syscall restriction, so the kernel evaluates its "
                               "conditions on every syscall of every process")
                 : std::string("rule has no syscall restriction and no filter: every syscall of "
                               "every process is logged"));
    f.notes.push_back({{}, "name the syscalls with -S"});
  });
}

void check_churny_watch(const CheckContext& ctx, Reporter& out) {
  constexpr std::array<std::string_view, 9> kRoots = {"/tmp",  "/var/tmp", "/dev/shm",
                                                      "/proc", "/sys",     "/var/log",
                                                      "/run",  "/var/run", "/var/cache"};
  // Below these every path is scratch space; elsewhere only the root itself is churny
  // (/var/log/lastlog or /run/faillock are worth watching).
  constexpr std::array<std::string_view, 4> kScratch = {"/tmp", "/var/tmp", "/dev/shm", "/proc"};
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (r.is_delete() || r.action != ir::Action::Always) return;
    // Reads and writes churn; an exec watch (-p x) or a rule narrowed by result, owner or
    // arguments (failed opens, chmod +x by users) is a detector, not a flood.
    const ir::Field* perm = r.find(AUDIT_PERM);
    if (perm && !(perm->value & (AUDIT_PERM_READ | AUDIT_PERM_WRITE))) return;
    bool narrowed = std::any_of(r.fields.begin(), r.fields.end(), [](const ir::Field& f) {
      return f.id != AUDIT_ARCH && f.id != AUDIT_PERM && f.id != AUDIT_WATCH && f.id != AUDIT_DIR;
    });
    if (narrowed) return;
    for (const ir::Field& f : r.fields) {
      if (f.id != AUDIT_WATCH && f.id != AUDIT_DIR) continue;
      bool churny = std::find(kRoots.begin(), kRoots.end(), f.text) != kRoots.end() ||
                    std::any_of(kScratch.begin(), kScratch.end(),
                                [&](std::string_view root) { return path_under(f.text, root); });
      if (!churny) continue;
      out.report(CheckId::NoiseChurnyWatch, r, f.range,
                 fmt::format("watch on '{}', where files change all the time; expect a flood of "
                             "events",
                             f.text));
    }
  });
}

void check_execve_unfiltered(const CheckContext& ctx, Reporter& out) {
  auto narrowing = [](uint32_t id) {
    switch (id) {
      case AUDIT_UID:
      case AUDIT_EUID:
      case AUDIT_SUID:
      case AUDIT_FSUID:
      case AUDIT_LOGINUID:
      case AUDIT_LOGINUID_SET:
      case AUDIT_GID:
      case AUDIT_EGID:
      case AUDIT_PID:
      case AUDIT_PPID:
      case AUDIT_EXE:
      case AUDIT_SESSIONID:
      case AUDIT_SUBJ_USER:
      case AUDIT_SUBJ_ROLE:
      case AUDIT_SUBJ_TYPE:
      case AUDIT_WATCH:
      case AUDIT_DIR:
      case AUDIT_EXIT:
      case AUDIT_SUCCESS:
      case AUDIT_FIELD_COMPARE:  // -C auid!=uid: programs run under another identity
        return true;
      default:
        return false;
    }
  };
  for_each_always_exit_rule(ctx, [&](const ir::Rule& r) {
    if (r.mask.all()) return;
    if (std::any_of(r.fields.begin(), r.fields.end(),
                    [&](const ir::Field& f) { return narrowing(f.id); }))
      return;
    for (const ir::SyscallRef& s : r.syscalls) {
      std::string name = s.name.empty() ? syscall_label(r, s.number) : s.name;
      if (name != "execve" && name != "execveat") continue;
      Finding& f = out.report(CheckId::NoiseExecveUnfiltered, r, s.range,
                              fmt::format("every program start is logged: '{}' without a uid, "
                                          "auid, exe or parent filter",
                                          name));
      f.notes.push_back({{},
                         "narrow it, e.g. '-F auid>=1000 -F auid!=unset' for people or "
                         "'-F euid=0' for programs running as root"});
      return;
    }
  });
}

void check_hot_syscall(const CheckContext& ctx, Reporter& out) {
  for_each_always_exit_rule(ctx, [&](const ir::Rule& r) {
    if (r.mask.all() || is_watch(r) || narrows(r)) return;
    for (const ir::SyscallRef& s : r.syscalls) {
      std::string name = s.name.empty() ? syscall_label(r, s.number) : s.name;
      if (!is_hot(name)) continue;
      Finding& f = out.report(CheckId::NoiseHotSyscall, r, s.range,
                              fmt::format("'{}' is one of the most frequent syscalls and the rule "
                                          "has no filter besides arch; expect a flood of events",
                                          name));
      f.notes.push_back({{}, "narrow it with auid, uid, exe, success/exit or a path"});
      return;
    }
  });
}

void check_perm_without_path(const CheckContext& ctx, Reporter& out) {
  for_each_always_exit_rule(ctx, [&](const ir::Rule& r) {
    const ir::Field* perm = r.find(AUDIT_PERM);
    if (!perm || is_watch(r)) return;
    out.report(CheckId::NoisePermWithoutPath, r, perm->range,
               fmt::format("'perm={}' without path= or dir= tests every file the rule's "
                           "syscalls touch",
                           ir::perm_letters(perm->value)));
  });
}

void check_measured_rate(const CheckContext& ctx, Reporter& out) {
  if (!ctx.rates || ctx.rates->seconds <= 0) return;
  const MeasuredRates& m = *ctx.rates;
  uint32_t backlog = 64, rate_limit = 0;  // the kernel's defaults
  for (const ir::Statement& s : ctx.set.statements)
    if (const ir::Control* c = std::get_if<ir::Control>(&s)) {
      if (c->kind == ir::ControlKind::BacklogLimit) backlog = c->value;
      if (c->kind == ir::ControlKind::RateLimit) rate_limit = c->value;
    }
  std::vector<size_t> order;
  for (size_t i = 0; i < m.rules.size() && i < ctx.kernel.size(); ++i)
    if (m.rules[i].events) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return m.rules[a].events > m.rules[b].events; });
  for (size_t rank = 0; rank < order.size(); ++rank) {
    size_t i = order[rank];
    double rate = static_cast<double>(m.rules[i].events) / m.seconds;
    if (rate <= ctx.options.rate_threshold) continue;
    const ir::Rule& r = ctx.kernel[i];
    Finding& f = out.report(
        CheckId::NoiseMeasuredRate, r, r.origin.range,
        fmt::format("rule decided {} events in {:.1f} s of the recording: {:.1f}/s (peak {}/s), "
                    "above the threshold of {}/s; #{} of {} rules by rate",
                    m.rules[i].events, m.seconds, rate, m.rules[i].peak_per_second,
                    ctx.options.rate_threshold, rank + 1, order.size()));
    double peak = static_cast<double>(std::max<uint64_t>(m.rules[i].peak_per_second, 1));
    f.notes.push_back(
        {{},
         fmt::format("backlog forecast: at its peak of {} events/s this rule alone fills a "
                     "backlog of {} records (-b) within {:.2f} s if auditd stalls (sooner: an "
                     "event is several records)",
                     m.rules[i].peak_per_second, backlog, backlog / peak)});
    if (rate_limit && m.rules[i].peak_per_second > rate_limit)
      f.notes.push_back({{},
                         fmt::format("its peak is above the rate limit (-r {}): the kernel "
                                     "drops the records beyond it",
                                     rate_limit)});
  }
}

}  // namespace af::lint
