// auditforge load FILE... [--dry-run] [--diff] [--own] [--allow-immutable]: compile, then make
// the kernel hold exactly the compiled rules and settings, sending only the difference, and
// roll back on any failure (kernel/load.h).
#include <fmt/format.h>
#include <linux/audit.h>

#include <cerrno>
#include <cstring>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/load_diff.h"
#include "cli/load_request.h"
#include "cli/output.h"
#include "cli/report.h"
#include "compiler/compiler.h"
#include "compiler/emit/rule_text.h"
#include "compiler/sema/loaded_rules.h"
#include "compiler/tables/tables.h"
#include "kernel/load.h"
#include "kernel/own_mark.h"

namespace af::cli {
namespace {

struct LoadOptions {
  std::vector<std::string> inputs;
  std::string arch;
  std::string format = "text";
  bool dry_run = false;
  bool diff = false;
  bool own = false;
  bool allow_immutable = false;
};

constexpr int kUsage = static_cast<int>(ExitCode::Usage);
constexpr int kFindings = static_cast<int>(ExitCode::Findings);

// "No such file or directory (ENOENT)"
std::string errno_words(int err) {
  std::string name(tables::errno_name(err).value_or(""));
  if (name.empty()) name = fmt::format("errno {}", err);
  return fmt::format("{} ({})", std::strerror(err), name);
}

// The wanted rule a verification mismatch is about, if the expected side is one of them.
ir::SourceRange origin_of(const kernel::LoadRequest& request, const kernel::RuleBytes& rule) {
  for (const kernel::WantedRule& w : request.rules)
    if (w.bytes == rule) return w.origin;
  return {};
}

int report_failure(Compilation& c, const kernel::LoadRequest& request,
                   const kernel::LoadResult& result) {
  using Step = kernel::LoadFailure::Step;
  const kernel::LoadFailure& f = *result.failure;
  int code = kFindings;
  switch (f.step) {
    case Step::Refused:
    case Step::Read:
      print_diagnostics(c);
      print_error(f.error.message());
      return kUsage;
    case Step::Rule:
      if (f.rule->op == kernel::RuleChange::Op::Delete) {
        print_error(fmt::format("the kernel refused to delete its rule '{}': {}",
                                rule_listing(f.rule->bytes), errno_words(f.error.error)));
        code = kUsage;
      } else {
        c.diags
            .report(diag::Kind::KernelRejected, request.rules[*f.rule->wanted].origin,
                    fmt::format("the kernel rejected this rule: {}", errno_words(f.error.error)))
            .note("sent as: " + rule_listing(f.rule->bytes));
      }
      if (f.error.error == EPERM || f.error.error == EACCES) code = kUsage;
      break;
    case Step::Setting:
      c.diags.report(
          diag::Kind::KernelSettingRejected, f.setting->origin,
          fmt::format("the kernel rejected {} {}: {}", kernel::setting_name(f.setting->setting),
                      f.setting->to, errno_words(f.error.error)));
      break;
    case Step::Verify:
      if (f.setting) {
        c.diags.report(diag::Kind::KernelMismatch, f.setting->origin, f.mismatch);
      } else {
        auto& d = c.diags.report(diag::Kind::KernelMismatch, origin_of(request, f.expected_rule),
                                 f.mismatch);
        d.note("expected: " +
               (f.expected_rule.empty() ? "no rule" : rule_listing(f.expected_rule)));
        d.note("the kernel: " + (f.actual_rule.empty() ? "no rule" : rule_listing(f.actual_rule)));
      }
      break;
  }
  print_diagnostics(c);
  if (result.rollback.verified) {
    std::fprintf(stderr,
                 "auditforge: note: rolled back: the kernel holds its previous rules and settings "
                 "again (verified; %zu message%s)\n",
                 result.rollback.sent, result.rollback.sent == 1 ? "" : "s");
  } else {
    print_error("the rollback is incomplete: " + result.rollback.problem);
    code = kUsage;
  }
  return code;
}

int run_load(const LoadOptions& o) {
  Compilation c;
  auto loaded = load_inputs(o.inputs, c, sema::LowerOptions{}, policy_options(o.arch));
  if (!loaded) {
    print_diagnostics(c);
    print_error(loaded.error().message());
    return kUsage;
  }
  kernel::LoadRequest request = load_request(c, o.own, o.allow_immutable);
  if (c.diags.has_errors()) {
    print_diagnostics(c);
    return kFindings;
  }

  auto port = kernel::open_netlink_port();
  if (!port) {
    print_diagnostics(c);
    print_error(port.error().message());
    return kUsage;
  }
  auto status = (*port)->status();
  auto before = status ? (*port)->rules() : tl::unexpected(status.error());
  if (!status || !before) {
    print_diagnostics(c);
    print_error((status ? before.error() : status.error()).message());
    return kUsage;
  }
  kernel::LoadPlan plan = kernel::plan_load(*status, *before, request);
  for (const kernel::SkippedSetting& s : plan.skipped)
    c.diags.report(
        diag::Kind::KernelSettingSkipped, s.origin,
        fmt::format("'{} {}' not sent: {}",
                    s.setting == kernel::Setting::Enabled ? "-e" : "--loginuid-immutable", s.value,
                    s.reason));

  if (o.dry_run || o.diff) {
    std::string out = o.format == "json" ? diff_json(plan, request, c.sources) : diff_text(plan);
    if (auto w = write_stdout(out); !w) {
      print_error(w.error().message());
      return kUsage;
    }
  }
  if (o.dry_run) {
    print_diagnostics(c);
    if (plan.refusal) {
      print_error(*plan.refusal);
      return kUsage;
    }
    std::fprintf(stderr, "auditforge: dry run: %s\n", diff_summary(plan, true).c_str());
    return static_cast<int>(ExitCode::Ok);
  }

  kernel::LoadResult result = kernel::apply_plan(**port, plan, *before);
  if (!result.ok()) return report_failure(c, request, result);
  print_diagnostics(c);
  std::fprintf(stderr, "auditforge: loaded: %s; the kernel holds the %zu compiled rules%s\n",
               diff_summary(plan, false).c_str(), request.rules.size(),
               plan.rules.empty() ? "" : " (verified)");
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

void add_load(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<LoadOptions>();
  sub.footer(
      "Sends only the difference with the rules the kernel holds, lists them back to verify\n"
      "them byte for byte, and restores the previous rules and settings on any failure.\n"
      "Example: auditforge load /etc/audit/rules.d --dry-run");
  sub.add_flag("--allow-immutable", o->allow_immutable,
               "send '-e 2' and '--loginuid-immutable' when the input asks for them (they "
               "cannot be undone until reboot)");
  sub.add_option("--arch", o->arch,
                 "target platforms for policy files, e.g. x86_64 (default: the files' "
                 "'target arch', else this host)");
  sub.add_flag("--diff", o->diff, "print the difference, then apply it");
  sub.add_flag("--dry-run", o->dry_run, "print the difference and change nothing");
  sub.add_option("--format", o->format, "how --dry-run and --diff print the plan: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub.add_flag("--own", o->own,
               fmt::format("manage only rules marked with the key '{}' and leave every other "
                           "rule in place",
                           kernel::kOwnMark));
  sub.add_option("inputs", o->inputs, "rule files, rules.d folders, policy files, or - for stdin")
      ->required();
  sub.callback([o, &exit_code] { exit_code = run_load(*o); });
}

}  // namespace af::cli
