// The canonical text of a rule: exactly the line `auditctl -l` (audit 3.0.9) prints for it,
// computed from the bytes the kernel holds. Control settings get a canonical line of their
// own. `fmt`, `list` and the converters all print through here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/emit/binary.h"
#include "compiler/ir/rule.h"
#include "compiler/tables/tables.h"

namespace af::emit {

/// State auditctl keeps from one listed rule to the next: the last arch it printed names the
/// syscalls of later rules that have no arch (a quirk of auditctl-listing.c, reproduced so
/// that a listing is byte-identical).
struct ListingState {
  std::optional<uint32_t> last_arch;
};

/// The `auditctl -l` line for a kernel rule, without the newline. `host` is the machine
/// auditctl runs on: it names the syscalls of rules without an arch field. The listing is
/// lossy (a `never` watch prints as `-w`, `exe!=` as `exe=`); see rule_text for a form that
/// keeps the meaning.
std::string listing_text(const RuleData& rule, ListingState& state,
                         tables::Machine host = tables::host_machine());

/// The canonical source line for an IR rule: its listing text, with the -A, -d or -W form
/// the source used, so that the line means the same thing when loaded. Where the listing
/// would lose meaning (a `never` or oddly ordered watch, `exe!=`, a path `-w` would trim or
/// stat differently), the -a form is kept, and string values are escaped (escape_word).
/// `stat_paths` says whether a reload would stat() watch paths (auditctl does): a watch
/// keeps the `-w` form only when `-w` would rebuild the same path or dir field.
std::string rule_text(const ir::Rule& rule, tables::Machine host = tables::host_machine(),
                      bool stat_paths = true);

/// The words of rule_text, unescaped: the argv auditctl would run the rule with. Other
/// consumers (go-audit, Auditbeat) quote these words their own way.
std::vector<std::string> rule_words(const ir::Rule& rule,
                                    tables::Machine host = tables::host_machine(),
                                    bool stat_paths = true);

/// A value as a word auditctl reads back unchanged: a backslash and a space are escaped with
/// a backslash (auditctl 3.0.9 turns "\\ " into a space and "\\\\" into a backslash).
std::string escape_word(std::string_view value);

/// The canonical line of a control setting ("-b 8192", "--backlog_wait_time 60000", ...).
std::string control_text(const ir::Control& control);

}  // namespace af::emit
