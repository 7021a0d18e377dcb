// The process exit codes of every subcommand (DESIGN.md, "Command line").
#pragma once

namespace af::cli {

enum class ExitCode : int {
  Ok = 0,        // success, no findings
  Findings = 1,  // rule errors or findings
  Usage = 2,     // bad usage or an I/O error
};

}  // namespace af::cli
