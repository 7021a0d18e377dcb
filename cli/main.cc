// auditforge: compile, check, lint and simulate Linux audit rules.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_code.h"

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  void (*add)(CLI::App&, int&);
};

// One row per subcommand (DESIGN.md, "Command line").
constexpr Subcommand kSubcommands[] = {
    {"check", "parse and validate audit rules; exit 1 on errors", af::cli::add_check},
    {"compile", "compile audit rules for auditctl, the kernel or tooling", af::cli::add_compile},
    {"convert", "rewrite classic rules in the policy language", af::cli::add_convert},
    {"fmt", "print audit rules in canonical form (the form 'auditctl -l' prints)",
     af::cli::add_fmt},
    {"lint", "check audit rules for mistakes, portability problems, noise and hygiene",
     af::cli::add_lint},
    {"list", "print the kernel's rules as auditctl -l does (or as JSON)", af::cli::add_list},
    {"load",
     "replace the kernel's rules with compiled ones: send the difference, verify, roll back on "
     "failure",
     af::cli::add_load},
    {"record", "capture live audit records into an audit.log (multicast, read-only)",
     af::cli::add_record},
    {"simulate", "replay recorded audit logs through rules as the kernel would",
     af::cli::add_simulate},
    {"status", "print the kernel's audit status as auditctl -s does (or as JSON)",
     af::cli::add_status},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"auditforge: author, check and test Linux audit rules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "auditforge 0.1.0");
  int exit_code = 0;
  for (const Subcommand& s : kSubcommands) s.add(*app.add_subcommand(s.name, s.summary), exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(af::cli::ExitCode::Usage);
  }
  return exit_code;
}
