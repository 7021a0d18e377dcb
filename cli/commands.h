// The subcommands of `auditforge`, one file each (cli/cmd_<verb>.cc). main.cc lists them in
// one table; each add_* declares its options on the subcommand and sets `exit_code` when run.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace af::cli {

void add_check(CLI::App& sub, int& exit_code);
void add_compile(CLI::App& sub, int& exit_code);
void add_convert(CLI::App& sub, int& exit_code);
/// compile's options on `sub`; with `fixed_target`, no --target option (convert).
void add_compile_options(CLI::App& sub, int& exit_code,
                         const std::shared_ptr<std::string>& fixed_target);
void add_fmt(CLI::App& sub, int& exit_code);
void add_lint(CLI::App& sub, int& exit_code);
void add_list(CLI::App& sub, int& exit_code);
void add_load(CLI::App& sub, int& exit_code);
void add_record(CLI::App& sub, int& exit_code);
void add_simulate(CLI::App& sub, int& exit_code);
void add_status(CLI::App& sub, int& exit_code);

}  // namespace af::cli
