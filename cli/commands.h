// The subcommands of `auditforge`, one file each (cli/cmd_<verb>.cc). main.cc lists them in
// one table; each add_* declares its options on the subcommand and sets `exit_code` when run.
#pragma once

#include <CLI/CLI.hpp>

namespace af::cli {

void add_check(CLI::App& sub, int& exit_code);
void add_compile(CLI::App& sub, int& exit_code);
void add_fmt(CLI::App& sub, int& exit_code);

}  // namespace af::cli
