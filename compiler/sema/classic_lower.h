// Lowers parsed classic rule lines to IR, validating them the way auditctl 3.0.9 and the
// kernel do. Every problem becomes a diagnostic with the id, location and caret of the word
// at fault; a line with errors yields no statement.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/frontend/parsed_line.h"
#include "compiler/ir/rule_set.h"
#include "compiler/tables/tables.h"

namespace af::sema {

struct LowerOptions {
  /// The machine auditctl would run on: b32/b64 and arch-less syscall names resolve
  /// against it.
  tables::Machine host = tables::host_machine();
  /// auditctl turns "-w PATH" into a dir= rule when stat() says PATH is a directory on the
  /// machine that loads the rules. Off: always a path= rule unless PATH ends with '/'.
  bool stat_watch_paths = true;
};

/// Carries the state that spans lines: auditctl stops changing rules after "-e 2".
class ClassicLowering {
 public:
  explicit ClassicLowering(LowerOptions options = {}) : options_(options) {}

  /// Appends the statements of `line` (none, one rule, or control settings) to `out`.
  void lower(const frontend::ParsedLine& line, ir::RuleSet& out, diag::DiagnosticSink& diags);

 private:
  LowerOptions options_;
  ir::SourceRange immutable_at_;  // where "-e 2" was seen, if it was
};

}  // namespace af::sema
