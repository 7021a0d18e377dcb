// Portability checks: what makes a rule mean something else, or fail to load, on another
// machine or kernel than the one it was written on.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "compiler/tables/tables.h"
#include "linter/check_context.h"

namespace af::lint {
namespace {

template <typename F>
void for_each_added_rule(const CheckContext& ctx, F&& f) {
  ctx.set.for_each_rule([&](const ir::Rule& r) {
    if (!r.is_delete()) f(r);
  });
}

struct Version {
  int major = 0, minor = 0;
  friend auto operator<=>(const Version&, const Version&) = default;
};

Version parse_version(const std::string& text) {
  Version v;
  if (std::sscanf(text.c_str(), "%d.%d", &v.major, &v.minor) < 1) return {};
  return v;
}

// When a field or list first worked, from rules-semantics A.6 (issue threads, approximate).
struct Requirement {
  Version version;
  std::string what;
  ir::SourceRange where;
};

std::optional<Requirement> requirement(const ir::Rule& r) {
  std::optional<Requirement> best;
  auto need = [&](Version v, std::string what, ir::SourceRange where) {
    if (!best || best->version < v) best = Requirement{v, std::move(what), where};
  };
  if (r.list == ir::List::Filesystem) need({4, 17}, "the filesystem list", r.origin.range);
  if (r.list == ir::List::IoUring) need({5, 16}, "the io_uring list", r.origin.range);
  for (const ir::Field& f : r.fields) {
    if (f.id == AUDIT_EXE) {
      need({4, 3}, "the exe field", f.range);
      if (f.op == ir::Op::NotEqual) need({4, 18}, "'exe!='", f.range);
      if (r.list == ir::List::Task || r.list == ir::List::User || r.list == ir::List::Exclude)
        need({4, 19}, "exe on the task, user or exclude list", f.range);
    }
    if (f.id == AUDIT_SESSIONID) need({4, 10}, "the sessionid field", f.range);
    if (r.list == ir::List::Exclude && f.id != AUDIT_MSGTYPE)
      need({4, 9}, fmt::format("'{}' on the exclude list", field_label(f.id)), f.range);
  }
  return best;
}

bool is_uid_field(uint32_t id) {
  return id == AUDIT_UID || id == AUDIT_EUID || id == AUDIT_SUID || id == AUDIT_FSUID ||
         id == AUDIT_LOGINUID || id == AUDIT_OBJ_UID;
}
bool is_gid_field(uint32_t id) {
  return id == AUDIT_GID || id == AUDIT_EGID || id == AUDIT_SGID || id == AUDIT_FSGID ||
         id == AUDIT_OBJ_GID;
}

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

}  // namespace

void check_kernel_version(const CheckContext& ctx, Reporter& out) {
  Version min = parse_version(ctx.options.min_kernel);
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    auto need = requirement(r);
    if (!need || need->version <= min) return;
    out.report(
        CheckId::PortabilityKernelVersion, r, need->where,
        fmt::format("{} needs Linux {}.{} or later; older kernels reject the rule "
                    "(the configured minimum is {})",
                    need->what, need->version.major, need->version.minor, ctx.options.min_kernel));
  });
}

void check_numeric_syscall(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    for (const ir::SyscallRef& s : r.syscalls) {
      if (!s.name.empty()) continue;
      auto machine = static_cast<tables::Machine>(r.machine);
      auto name = tables::syscall_name(s.number, machine);
      out.report(CheckId::PortabilityNumericSyscall, r, s.range,
                 fmt::format("syscall given as number {}{}; each arch numbers syscalls "
                             "differently, so write its name",
                             s.number,
                             name ? fmt::format(" ('{}' on {})", *name,
                                                tables::machine_name(machine).value_or("?"))
                                  : ""));
    }
  });
}

void check_syscall_missing_on_arch(const CheckContext& ctx, Reporter& out) {
  std::vector<std::pair<std::string, tables::Machine>> targets;
  for (const std::string& name : ctx.options.target_machines)
    if (auto m = tables::machine_from_name(name)) targets.emplace_back(name, *m);
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    const ir::Field* arch = r.find(AUDIT_ARCH);
    if (!arch) return;
    // Only "b64"/"b32" promise to work on every machine; arch=x86_64 names its machine.
    std::string_view written = written_value(*arch, ctx.sources);
    if (written != "b64" && written != "b32") return;
    // One finding per rule and machine, at the first syscall that machine lacks.
    for (const auto& [name, machine] : targets) {
      auto m = written == "b32" ? tables::compat_machine(machine) : std::optional(machine);
      if (!m) continue;
      std::vector<std::string> missing;
      ir::SourceRange first;
      for (const ir::SyscallRef& s : r.syscalls) {
        if (s.name.empty() || tables::syscall_number(s.name, *m)) continue;
        if (std::find(missing.begin(), missing.end(), s.name) != missing.end()) continue;
        if (missing.empty()) first = s.range;
        missing.push_back(s.name);
      }
      if (missing.empty()) continue;
      out.report(CheckId::PortabilitySyscallMissingOnArch, r, first,
                 fmt::format("syscall{} '{}' {} not exist on {}; auditctl rejects the whole line "
                             "there",
                             missing.size() == 1 ? "" : "s", fmt::join(missing, "', '"),
                             missing.size() == 1 ? "does" : "do",
                             tables::machine_name(*m).value_or(name)));
    }
  });
}

void check_user_name(const CheckContext& ctx, Reporter& out) {
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    for (const ir::Field& f : r.fields) {
      bool uid = is_uid_field(f.id);
      if (!uid && !is_gid_field(f.id)) continue;
      std::string_view v = written_value(f, ctx.sources);
      if (v.empty() || !std::isalpha(static_cast<unsigned char>(v[0])) || v == "unset") continue;
      if (v == "root") continue;  // 0 everywhere
      out.report(CheckId::PortabilityUserName, r, f.range,
                 fmt::format("{} name '{}' is turned into a number ({} on this host) by the "
                             "machine that loads the rules; it may be another number or unknown "
                             "on the target",
                             uid ? "user" : "group", v, f.value));
    }
  });
}

void check_watch_path_missing(const CheckContext& ctx, Reporter& out) {
  if (!ctx.path_exists) return;
  for_each_added_rule(ctx, [&](const ir::Rule& r) {
    for (const ir::Field& f : r.fields) {
      std::string dir;
      if (f.id == AUDIT_WATCH || f.id == AUDIT_EXE) {
        dir = parent_of(f.text);
      } else if (f.id == AUDIT_DIR) {
        dir = f.text;
      } else {
        continue;
      }
      if (dir.empty() || ctx.path_exists(dir)) continue;
      out.report(CheckId::PortabilityWatchPathMissing, r, f.range,
                 fmt::format("directory '{}' does not exist on this host; the kernel refuses the "
                             "rule (ENOENT) where it is missing",
                             dir));
    }
  });
}

}  // namespace af::lint
