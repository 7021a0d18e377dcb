#include "compiler/sema/classic_lower.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cctype>
#include <string>

#include "compiler/frontend/classic_parser.h"
#include "compiler/sema/field_pair.h"
#include "compiler/sema/field_table.h"

// The per-line state machine below follows auditctl 3.0.9 (src/auditctl.c, setopt and
// handle_request): options are processed left to right, the first error ends the line, and
// several checks depend on what came earlier on the same line. The behaviours it reproduces
// were each confirmed with `auditctl -R` on a 6.18 kernel (docs/classic-syntax.md).

namespace af::sema {
namespace {

using diag::Kind;
using frontend::OptionKind;
using frontend::ParsedLine;
using frontend::ParsedOption;
using frontend::Word;

constexpr size_t kMaxKeyBytes = AUDIT_MAX_KEY_LEN;  // 256, separators included
constexpr size_t kMaxFields = 63;                   // auditctl refuses the 64th field
constexpr size_t kMaxWatchPath = 4095;              // below PATH_MAX
constexpr size_t kMaxBaseName = 255;
constexpr uint32_t kAllPerms =
    AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;

// auditctl compares list and action words exactly (no table, no case folding).
std::optional<ir::List> list_word(std::string_view w) {
  if (w == "exit") return ir::List::Exit;
  if (w == "task") return ir::List::Task;
  if (w == "user") return ir::List::User;
  if (w == "exclude") return ir::List::Exclude;
  if (w == "filesystem") return ir::List::Filesystem;
  return std::nullopt;
}

std::optional<ir::Action> action_word(std::string_view w) {
  if (w == "always") return ir::Action::Always;
  if (w == "never") return ir::Action::Never;
  if (w == "possible") return ir::Action::Possible;
  return std::nullopt;
}

std::string_view list_label(ir::List l) {
  switch (l) {
    case ir::List::User:
      return "user";
    case ir::List::Task:
      return "task";
    case ir::List::Exit:
      return "exit";
    case ir::List::Exclude:
      return "exclude";
    case ir::List::Filesystem:
      return "filesystem";
    default:
      return "unknown";
  }
}

// Everything one line accumulates before it becomes statements.
struct LineState {
  LineState(const ParsedLine& l, diag::DiagnosticSink& d, const LowerOptions& o)
      : line(l), diags(d), options(o) {}

  const ParsedLine& line;
  diag::DiagnosticSink& diags;
  const LowerOptions& options;
  bool failed = false;
  bool skip_line = false;  // "LIST,possible": auditctl skips the line

  std::optional<ir::List> list;
  std::optional<ir::Action> action;
  int rule_ops = 0;  // -a/-A/-d seen
  bool watch = false;
  ir::Rule rule;
  std::optional<tables::Machine> machine;  // resolves -S names; set by arch= or the first -S
  bool syscall_added = false;              // -S, -w, -W
  bool perm_added = false;                 // -p, perm=, path=, dir=, -w
  bool exe_added = false;
  bool fstype_added = false;
  bool have_key = false;
  std::string key;  // the -k and -F key= values joined with 0x01
  ir::SourceRange key_range;
  ir::SourceRange syscall_range;  // first -S, for "no list" errors

  std::vector<ir::Control> controls;

  ir::SourceRange at(const Word& w) const { return line.range_of(w); }
  diag::Diagnostic& error(Kind k, ir::SourceRange r, std::string msg) {
    failed = true;
    return diags.report(k, r, std::move(msg));
  }
  diag::Diagnostic& error(Kind k, const Word& w, std::string msg) {
    return error(k, at(w), std::move(msg));
  }
  void control(ir::ControlKind kind, uint32_t value = 0, std::string text = {}) {
    controls.push_back({kind, value, std::move(text), ir::Origin::at(line.whole())});
  }
};

// "-a LIST,ACTION" or "-a ACTION,LIST", parsed with auditctl's exact algorithm
// (audit_rule_setup): the list may already be known from an earlier -w on the line, which is
// why "-w P -a exit,never" works and "-w P -a always,exit" does not.
void parse_list_action(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  std::string_view text = arg.text;
  auto bad = [&](std::string why) {
    s.error(Kind::SemanticBadListAction, arg, fmt::format("'{}' {}", text, why))
        .note("write 'always,exit', 'never,exit', 'always,exclude', 'never,task', ...");
  };
  size_t comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos) {
    bad("must be one list and one action separated by a comma");
    return;
  }
  std::string_view first = text.substr(0, comma), second = text.substr(comma + 1);
  for (std::string_view part : {first, second}) {
    if (part == "entry") {
      s.error(Kind::SemanticEntryList, arg, "the entry list was removed from the kernel")
          .note("use the exit list: '-a always,exit'");
      return;
    }
  }
  std::optional<ir::List> list = s.list;
  std::optional<ir::Action> action;
  bool possible = false;
  if (auto a = action_word(first)) {
    if (*a == ir::Action::Possible) {
      possible = true;
    } else {
      action = a;
    }
  } else if (auto l = list_word(first)) {
    list = l;
  } else {
    bad(fmt::format("names neither a list nor an action ('{}')", first));
    return;
  }
  if (!list) {
    list = list_word(second);
  } else {
    auto a = action_word(second);
    if (a == ir::Action::Possible) {
      s.diags.report(Kind::SemanticDeprecatedAction, s.at(arg),
                     "the 'possible' action is deprecated; auditctl skips this line");
      s.skip_line = true;
      return;
    }
    if (!a) {
      bad(fmt::format("'{}' is not an action here", second));
      return;
    }
    action = a;
  }
  if (!list || !action) {
    bad(possible ? "uses the deprecated 'possible' action in first position, which auditctl "
                   "rejects"
                 : "needs one list and one action");
    return;
  }
  s.list = list;
  s.action = action;
  if (!s.watch) {
    s.rule.form = o.letter == 'a'   ? ir::RuleForm::Append
                  : o.letter == 'A' ? ir::RuleForm::Prepend
                                    : ir::RuleForm::Delete;
  }
}

void add_syscalls(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  if (s.list && *s.list != ir::List::Exit) {
    s.error(Kind::SemanticSyscallOnList, s.at(o.word),
            fmt::format("syscalls cannot be used on the {} list", list_label(*s.list)));
    return;
  }
  if (!s.syscall_range.valid()) s.syscall_range = s.at(o.word);
  if (!s.machine) s.machine = s.options.host;
  tables::Machine machine = *s.machine;
  s.rule.machine = static_cast<uint32_t>(machine);
  std::string_view text = arg.text;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    Word item{text.substr(pos, comma - pos), arg.column + static_cast<uint32_t>(pos)};
    pos = comma + 1;
    if (item.text.empty()) continue;  // "open,,close" is fine
    if (item.text == "all") {
      s.rule.mask.set_all();
      continue;
    }
    // Names first, then a number (auditctl: strtol base 0, so "12abc" is 12).
    std::optional<uint32_t> nr = tables::syscall_number(item.text, machine);
    bool numeric = !nr && std::isdigit(static_cast<unsigned char>(item.text[0]));
    if (numeric) {
      uint32_t n = c_number(item.text);
      if (n < ir::SyscallMask::kMaxSyscall) nr = n;
      // The kernel turns bits 2032..2047 into syscall classes (kernel/auditfilter.c,
      // audit_to_entry_common) and lists the class's syscalls instead.
      if (nr && *nr >= ir::SyscallMask::kMaxSyscall - 16) {
        s.diags.report(Kind::SemanticSyscallClassBit, s.at(item),
                       fmt::format("syscall number {} is a kernel class bit: the kernel replaces "
                                   "it with the syscalls of class {}, which auditforge does not "
                                   "model",
                                   *nr, ir::SyscallMask::kMaxSyscall - 1 - *nr));
      }
    }
    if (!nr) {
      s.error(Kind::ArchUnknownSyscall, item,
              fmt::format("syscall '{}' is unknown on {}", item.text,
                          tables::machine_name(machine).value_or("this arch")));
      return;
    }
    s.rule.mask.set(*nr);
    s.rule.syscalls.push_back({*nr, numeric ? "" : std::string(item.text), s.at(item)});
  }
  s.rule.syscalls_given = true;
  s.syscall_added = true;
}

size_t field_count(const LineState& s) { return s.rule.fields.size(); }

bool too_many_fields(LineState& s, const Word& where) {
  if (field_count(s) < kMaxFields) return false;
  s.error(Kind::SemanticTooManyFields, where,
          fmt::format("the rule already has {} fields; auditctl allows at most {}", field_count(s),
                      kMaxFields));
  return true;
}

// -k and -F key= join one key string; auditctl checks the total as it goes.
void join_key(LineState& s, std::string_view value, const Word& where) {
  size_t total = s.key.size() + value.size() + (s.key.empty() ? 0 : 1);
  if (value.size() > kMaxKeyBytes || total > kMaxKeyBytes) {
    s.error(Kind::SemanticKeyTooLong, where,
            fmt::format("the keys of this rule would be {} bytes; the kernel limit is {}", total,
                        kMaxKeyBytes));
    return;
  }
  if (value.find('\x01') != std::string_view::npos) {
    s.diags.report(Kind::SemanticKeyIllegalChar, s.at(where),
                   "key contains byte 0x01, the kernel's key separator; it will list as two "
                   "keys");
  }
  if (!s.have_key) s.key_range = s.at(where);
  if (s.key.empty() && value.empty()) return;  // an empty first key adds nothing
  if (s.have_key) s.key += '\x01';
  s.key += value;
  s.have_key = true;
}

bool key_has_target(const LineState& s) {
  return s.syscall_added || s.perm_added || s.exe_added || s.fstype_added;
}

// The exclude list in auditctl 3.0.9 on a kernel with EXCLUDE_EXTEND takes only these.
bool allowed_on_exclude(uint32_t id) {
  switch (id) {
    case AUDIT_PID:
    case AUDIT_UID:
    case AUDIT_GID:
    case AUDIT_LOGINUID:
    case AUDIT_MSGTYPE:
    case AUDIT_SUBJ_USER:
    case AUDIT_SUBJ_ROLE:
    case AUDIT_SUBJ_TYPE:
    case AUDIT_SUBJ_SEN:
    case AUDIT_SUBJ_CLR:
    case AUDIT_EXE:
      return true;
    default:
      return false;
  }
}

void add_field(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  if (!s.list) {
    s.error(Kind::SemanticNoList, s.at(o.word), "-F given before -a/-A/-d or -w")
        .note("auditctl needs the list before any field");
    return;
  }
  // Only the exact lower-case "key=" is collected into the rule's key; "KEY=" or "key!="
  // are ordinary fields placed where they stand.
  if (arg.text.starts_with("key=")) {
    Word value{arg.text.substr(4), arg.column + 4};
    join_key(s, value.text, value);
    return;
  }
  if (too_many_fields(s, arg)) return;
  FieldContext ctx{*s.list, s.syscall_added, s.options.host};
  auto f = parse_field_pair(arg.text, s.at(arg), ctx, s.diags);
  if (!f) {
    s.failed = true;
    return;
  }
  if (*s.list == ir::List::Exclude && !allowed_on_exclude(f->id)) {
    s.error(Kind::SemanticFieldNotOnList, arg,
            fmt::format("field '{}' cannot be used on the exclude list",
                        tables::field_name(f->id).value_or("?")))
        .note("the exclude list takes pid, uid, gid, auid, msgtype, subj_* and exe");
    return;
  }
  switch (f->id) {
    case AUDIT_ARCH:
      s.machine = tables::arch_to_machine(f->value);
      break;
    case AUDIT_PERM:
    case AUDIT_WATCH:
    case AUDIT_DIR:
      s.perm_added = true;
      break;
    case AUDIT_EXE:
      s.exe_added = true;
      break;
    case AUDIT_FSTYPE:
      s.fstype_added = true;
      break;
    default:
      break;
  }
  s.rule.fields.push_back(std::move(*f));
}

void add_compare(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  if (too_many_fields(s, arg)) return;
  auto split = split_field_pair(arg.text);
  if (!split || (split->op != ir::Op::Equal && split->op != ir::Op::NotEqual)) {
    s.error(Kind::SemanticCompareInvalid, arg,
            fmt::format("'{}' is not a comparison such as 'auid!=obj_uid'", arg.text))
        .note("-C takes only '=' and '!='");
    return;
  }
  if (split->name.empty() || split->value.empty()) {
    s.error(Kind::SemanticCompareInvalid, arg,
            fmt::format("'{}' needs a field on each side of the operator", arg.text));
    return;
  }
  auto left = tables::field_id(split->name);
  auto right = tables::field_id(split->value);
  if (!left || !right) {
    s.error(Kind::SemanticCompareInvalid, arg,
            fmt::format("unknown field '{}' in comparison", left ? split->value : split->name));
    return;
  }
  if (s.list != ir::List::Exit) {
    s.error(Kind::SemanticCompareInvalid, s.at(o.word),
            "field comparisons (-C) can only be used on the exit list");
    return;
  }
  std::optional<uint32_t> code;
  if (auto c = comparison_of(*left, *right)) code = c->code;
  if (!code) {
    s.error(Kind::SemanticCompareInvalid, arg,
            fmt::format("'{}' and '{}' cannot be compared", split->name, split->value))
        .note(
            "-C compares two uid fields (uid, euid, suid, fsuid, auid, obj_uid) or two gid "
            "fields (gid, egid, sgid, fsgid, obj_gid)");
    return;
  }
  s.rule.fields.push_back({AUDIT_FIELD_COMPARE, split->op, *code, "", s.at(arg)});
}

void add_perm(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  if (!s.list) {
    s.error(Kind::SemanticPermWithoutTarget, s.at(o.word),
            "-p needs a watch (-w) or a rule (-a) before it");
    return;
  }
  if (arg.text.size() > 4) {
    s.error(Kind::SemanticBadPerm, arg,
            fmt::format("permission '{}' is longer than 4 letters", arg.text));
    return;
  }
  uint32_t bits = 0;
  for (size_t i = 0; i < arg.text.size(); ++i) {
    switch (std::tolower(static_cast<unsigned char>(arg.text[i]))) {
      case 'r':
        bits |= AUDIT_PERM_READ;
        break;
      case 'w':
        bits |= AUDIT_PERM_WRITE;
        break;
      case 'x':
        bits |= AUDIT_PERM_EXEC;
        break;
      case 'a':
        bits |= AUDIT_PERM_ATTR;
        break;
      default:
        s.error(Kind::SemanticBadPerm,
                Word{arg.text.substr(i, 1), arg.column + static_cast<uint32_t>(i)},
                fmt::format("permission '{}' may only contain the letters r, w, x, a", arg.text));
        return;
    }
  }
  if (s.rule.fields.empty()) {
    s.error(Kind::SemanticPermWithoutTarget, s.at(o.word),
            "-p needs a field before it on a rule (auditctl: \"Permissions should be preceded "
            "by other fields\")")
        .note("use '-F perm=...' or add a path, dir or other field first");
    return;
  }
  // -p rewrites every perm field in place, or appends one.
  bool replaced = false;
  for (ir::Field& f : s.rule.fields) {
    if (f.id == AUDIT_PERM) {
      f.value = bits;
      f.range = s.at(arg);
      replaced = true;
    }
  }
  if (!replaced) {
    if (too_many_fields(s, arg)) return;
    s.rule.fields.push_back({AUDIT_PERM, ir::Op::Equal, bits, "", s.at(arg)});
  }
  s.perm_added = true;
}

// "-w PATH": a watch rule built on the spot (path or dir, then perm rwxa); -p, -F, -C and
// -k then change it.
void set_watch(LineState& s, const ParsedOption& o) {
  const Word& arg = *o.argument;
  if (o.letter == 'w' && s.list) {
    s.error(Kind::SemanticWatchWithRule, s.at(o.word),
            s.watch ? "only one watch per line" : "a watch cannot follow -a/-A/-d on a line");
    return;
  }
  std::string_view path = arg.text;
  if (path.size() > kMaxWatchPath) {
    s.error(Kind::SemanticWatchPath, arg,
            fmt::format("watch path is {} bytes; the limit is {}", path.size(), kMaxWatchPath));
    return;
  }
  if (path.empty() || path[0] != '/') {
    s.error(Kind::SemanticWatchPath, arg,
            fmt::format("watch path '{}' must be absolute (start with '/')", path));
    return;
  }
  std::string trimmed(path);
  size_t last = trimmed.find_last_not_of('/');
  std::string base = last == std::string::npos ? ""
                                               : trimmed.substr(trimmed.rfind('/', last) + 1,
                                                                last - trimmed.rfind('/', last));
  if (base.size() > kMaxBaseName) {
    s.error(Kind::SemanticWatchPath, arg,
            fmt::format("the last component of the watch path is {} bytes; the limit is {}",
                        base.size(), kMaxBaseName));
    return;
  }
  if (trimmed.find("..") != std::string::npos) {
    s.diags.report(Kind::SemanticWatchPathNotation, s.at(arg),
                   "'..' in a watch path is not resolved; the kernel watches the literal path");
  }
  if (trimmed.find_first_of("*?") != std::string::npos) {
    s.diags.report(Kind::SemanticWatchPathNotation, s.at(arg),
                   "wildcards in a watch path are not expanded; the kernel watches the literal "
                   "path");
  }
  // auditctl trims trailing slashes only from paths longer than two bytes.
  if (trimmed.size() > 2)
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  bool is_dir = false;
  if (s.options.stat_watch_paths) {
    struct stat st;
    is_dir = ::stat(trimmed.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  s.watch = true;
  s.list = ir::List::Exit;
  s.action = ir::Action::Always;
  s.rule.form = o.letter == 'w' ? ir::RuleForm::Watch : ir::RuleForm::Unwatch;
  s.rule.fields.push_back({is_dir ? uint32_t{AUDIT_DIR} : uint32_t{AUDIT_WATCH}, ir::Op::Equal,
                           static_cast<uint32_t>(trimmed.size()), trimmed, s.at(arg)});
  s.rule.fields.push_back({AUDIT_PERM, ir::Op::Equal, kAllPerms, "", s.at(arg)});
  s.rule.mask.set_all();
  s.syscall_added = true;
  s.perm_added = true;
}

// -e, -f: auditctl compares the argument with the exact strings "0", "1", "2".
void add_enum_control(LineState& s, const ParsedOption& o, ir::ControlKind kind,
                      std::string_view what) {
  const Word& arg = *o.argument;
  if (arg.text != "0" && arg.text != "1" && arg.text != "2") {
    s.error(Kind::SemanticBadControlValue, arg,
            fmt::format("{} must be 0, 1 or 2, not '{}'", what, arg.text));
    return;
  }
  s.control(kind, static_cast<uint32_t>(arg.text[0] - '0'));
}

// -b, -r, --backlog_wait_time: must start with a digit; strtoul base 0, junk ignored.
void add_number_control(LineState& s, const ParsedOption& o, ir::ControlKind kind,
                        std::string_view what) {
  const Word& arg = *o.argument;
  if (arg.text.empty() || !std::isdigit(static_cast<unsigned char>(arg.text[0]))) {
    s.error(Kind::SemanticBadControlValue, arg,
            fmt::format("{} must be a number, not '{}'", what, arg.text));
    return;
  }
  uint32_t value = c_number(arg.text);
  // The kernel refuses a wait longer than 10 minutes (10 * 60 * HZ jiffies; HZ=250 here).
  if (kind == ir::ControlKind::BacklogWaitTime && value > 150000) {
    s.error(Kind::SemanticKernelRejects, arg,
            fmt::format("backlog wait time {} is above the kernel's limit of 10 minutes "
                        "(150000 jiffies at HZ=250)",
                        value));
    return;
  }
  s.control(kind, value);
}

std::string option_name(const ParsedOption& o) {
  if (o.kind == OptionKind::Long) return fmt::format("--{}", o.long_name);
  return fmt::format("-{}", o.letter);
}

// Options after which auditctl ends the line (they return -2 in setopt); any word after them
// fails the line.
bool ends_line(const ParsedOption& o) {
  if (o.kind == OptionKind::Long) return true;
  return std::string_view("icslDvtmq").find(o.letter) != std::string_view::npos;
}

void no_effect(LineState& s, const ParsedOption& o, std::string_view what) {
  s.diags.report(Kind::SemanticNoEffect, s.at(o.word),
                 fmt::format("'{}' {} and does not change the rule set", option_name(o), what));
}

void handle_long(LineState& s, const ParsedOption& o) {
  std::string_view name = frontend::resolve_long_option(o.long_name);
  if (name.empty()) {
    s.error(Kind::SyntaxUnknownOption, o.word, fmt::format("unknown option '{}'", o.word.text));
    return;
  }
  bool needs_arg = frontend::long_option_takes_argument(name);
  if (needs_arg && !o.argument) {
    s.failed = true;  // reported by the parser
    return;
  }
  if (!needs_arg && o.argument) {
    s.error(Kind::SyntaxUnexpected, o.word,
            fmt::format("option '--{}' does not take an argument", name));
    return;
  }
  if (name == "backlog_wait_time") {
    add_number_control(s, o, ir::ControlKind::BacklogWaitTime, "the backlog wait time");
  } else if (name == "loginuid-immutable") {
    s.control(ir::ControlKind::LoginuidImmutable, 1);
  } else if (name == "reset-lost") {
    s.control(ir::ControlKind::ResetLost);
  } else if (name == "reset_backlog_wait_time_actual") {
    s.control(ir::ControlKind::ResetBacklogWaitTimeActual);
  } else if (name == "signal") {
    s.control(ir::ControlKind::Signal, 0, std::string(o.argument->text));
  }
}

void handle_short(LineState& s, const ParsedOption& o) {
  switch (o.letter) {
    case 'a':
    case 'A':
    case 'd':
      if (s.syscall_added && !s.watch && o.letter != 'd' &&
          o.argument->text.find("task") != std::string_view::npos) {
        s.error(Kind::SemanticSyscallOnList, o.word, "syscalls cannot be used on the task list");
        return;
      }
      if (++s.rule_ops > 1) {
        s.error(Kind::SemanticMultipleRuleOps, o.word,
                "only one rule may be added or deleted per line");
        return;
      }
      parse_list_action(s, o);
      return;
    case 'S':
      add_syscalls(s, o);
      return;
    case 'F':
      add_field(s, o);
      return;
    case 'C':
      add_compare(s, o);
      return;
    case 'k':
      if (!s.list || !key_has_target(s)) {
        s.error(Kind::SemanticKeyWithoutTarget, o.word,
                "a key needs a syscall (-S), a watch, a perm, an exe or an fstype before it");
        return;
      }
      join_key(s, o.argument->text, *o.argument);
      return;
    case 'p':
      add_perm(s, o);
      return;
    case 'w':
    case 'W':
      set_watch(s, o);
      return;
    case 'e':
      add_enum_control(s, o, ir::ControlKind::Enabled, "the enabled flag (-e)");
      return;
    case 'f':
      add_enum_control(s, o, ir::ControlKind::FailureMode, "the failure mode (-f)");
      return;
    case 'b':
      add_number_control(s, o, ir::ControlKind::BacklogLimit, "the backlog limit (-b)");
      return;
    case 'r':
      add_number_control(s, o, ir::ControlKind::RateLimit, "the rate limit (-r)");
      return;
    case 'D':
      s.control(ir::ControlKind::DeleteAll);
      return;
    case 'c':
      s.control(ir::ControlKind::ContinueOnError);
      return;
    case 'i':
      s.control(ir::ControlKind::IgnoreErrors);
      return;
    case 'l':
      no_effect(s, o, "lists the loaded rules");
      s.control(ir::ControlKind::List);
      return;
    case 's':
      no_effect(s, o, "prints the kernel status");
      s.control(ir::ControlKind::Status);
      return;
    case 'm':
      no_effect(s, o, "sends a user message");
      s.control(ir::ControlKind::Message, 0, std::string(o.argument->text));
      return;
    case 't':
      s.control(ir::ControlKind::Trim);
      return;
    case 'q':
      s.control(ir::ControlKind::MakeEquivalent, 0, std::string(o.argument->text));
      return;
    case 'v':
      no_effect(s, o, "prints the version");
      return;
    case 'R':
      s.error(Kind::SemanticNestedRulesFile, o.word,
              "a rules file cannot load another rules file (-R)");
      return;
    case 'h':
      s.failed = true;
      s.diags.report(Kind::SemanticNoEffect, diag::Severity::Error, s.at(o.word),
                     "'-h' prints the usage and fails the line");
      return;
    default:
      s.error(Kind::SyntaxUnknownOption, o.word, fmt::format("unknown option '{}'", o.word.text));
      return;
  }
}

// "-D -k KEY", "-l -k KEY", "-l -i" and "-s -i" are the only multi-option forms of these.
bool allowed_after(const ParsedOption& first, const std::vector<ParsedOption>& opts) {
  if (opts.size() != 2 || opts[1].kind != OptionKind::Short) return false;
  char next = opts[1].letter;
  if (first.letter == 'D') return next == 'k';
  if (first.letter == 'l') return next == 'k' || next == 'i';
  if (first.letter == 's') return next == 'i';
  return false;
}

void handle_option(LineState& s, const ParsedOption& o) {
  if (o.kind == OptionKind::Stray) {
    if (o.word.text.starts_with("#")) {
      s.error(Kind::SyntaxTrailingComment, o.word,
              "auditctl has no trailing comments; '#' starts a stray word here")
          .note("move the comment to a line of its own");
    } else {
      auto& d =
          s.error(Kind::SyntaxStrayWord, o.word,
                  fmt::format("'{}' is not an option; auditctl rejects the line", o.word.text));
      if (o.word.text.find('\t') != std::string_view::npos)
        d.note("auditctl separates words with spaces only; a tab is part of the word");
    }
    return;
  }
  // Short options that take an argument have one unless the parser already reported it.
  if (o.kind == OptionKind::Short && !o.argument &&
      std::string_view("aAdSFCkpwWefrbmqR").find(o.letter) != std::string_view::npos) {
    s.failed = true;
    return;
  }
  if (o.kind == OptionKind::Long) {
    handle_long(s, o);
  } else {
    handle_short(s, o);
  }
}

void finish_rule(LineState& s, ir::RuleSet& out) {
  ir::Rule& r = s.rule;
  r.list = *s.list;
  r.action = *s.action;
  r.origin.range = s.line.whole();
  if (s.have_key) {
    // auditctl adds the key as a last field through the field parser, with its checks.
    if (r.list == ir::List::Exclude) {
      s.error(Kind::SemanticFieldNotOnList, s.key_range, "a key cannot be used on the exclude list")
          .note("auditctl 3.0.9 accepts only pid, uid, gid, auid, msgtype, subj_* and exe there");
      return;
    }
    if (!key_has_target(s)) {
      s.error(Kind::SemanticKeyWithoutTarget, s.key_range,
              "a key needs a syscall (-S), a watch, a perm, an exe or an fstype on the rule");
      return;
    }
    if (field_count(s) >= kMaxFields) {
      s.error(Kind::SemanticTooManyFields, s.key_range,
              fmt::format("no room for the key: the rule already has {} fields; auditctl allows "
                          "at most {}",
                          field_count(s), kMaxFields));
      return;
    }
    size_t pos = 0;
    while (pos <= s.key.size()) {
      size_t sep = s.key.find('\x01', pos);
      if (sep == std::string::npos) sep = s.key.size();
      r.keys.push_back(s.key.substr(pos, sep - pos));
      pos = sep + 1;
    }
    r.key_range = s.key_range;
  }
  // auditctl gives every rule except task-list rules all syscalls when none is named.
  if (!s.syscall_added && r.list != ir::List::Task) r.mask.set_all();
  if (!s.machine) s.machine = s.options.host;
  r.machine = static_cast<uint32_t>(*s.machine);
  if (!s.failed) out.statements.emplace_back(std::move(r));
}

// Checks on a rule that auditctl sends but the kernel refuses (kernel/auditfilter.c).
void check_kernel_acceptance(LineState& s) {
  const ir::Rule& r = s.rule;
  int keys = s.have_key ? 1 : 0, exes = 0, paths = 0;
  for (const ir::Field& f : r.fields) {
    if (f.id == AUDIT_FILTERKEY) ++keys;
    if (f.id == AUDIT_EXE) ++exes;
    if (f.id == AUDIT_WATCH || f.id == AUDIT_DIR || (f.id == AUDIT_INODE && f.op == ir::Op::Equal))
      ++paths;
    if (f.id == AUDIT_LOGINUID && f.value == 4294967295u && f.op != ir::Op::Equal &&
        f.op != ir::Op::NotEqual) {
      s.error(Kind::SemanticKernelRejects, f.range,
              "auid compared with 'unset' (-1) takes only '=' or '!='; the kernel rejects other "
              "operators (EINVAL)");
    }
    if (*s.list == ir::List::Filesystem && f.id != AUDIT_FSTYPE && f.id != AUDIT_FILTERKEY) {
      s.error(Kind::SemanticKernelRejects, f.range,
              "a filesystem-list rule may only have fstype and key fields; the kernel rejects "
              "others (EINVAL)");
    }
    if (f.id == AUDIT_EXE && !f.text.starts_with("/")) {
      s.error(
          Kind::SemanticKernelRejects, f.range,
          fmt::format("exe '{}' is not an absolute path; the kernel rejects it (EINVAL)", f.text));
    }
    if (s.failed) return;
  }
  if (keys > 1)
    s.error(Kind::SemanticKernelRejects, s.line.whole(),
            "the rule would carry two key fields ('-F KEY=' or 'key!=' beside -k); the kernel "
            "rejects it (EINVAL)");
  else if (exes > 1)
    s.error(Kind::SemanticKernelRejects, s.line.whole(),
            "only one exe field is allowed per rule; the kernel rejects a second (EINVAL)");
  else if (paths > 1)
    s.error(Kind::SemanticKernelRejects, s.line.whole(),
            "only one of path, dir or inode= is allowed per rule; the kernel rejects the rule "
            "(EINVAL)");
}

// Without an arch field the kernel applies the syscall numbers to every ABI, although each
// ABI numbers its syscalls differently.
void warn_missing_arch(LineState& s) {
  const ir::Rule& r = s.rule;
  if (s.list != ir::List::Exit || !r.syscalls_given || r.mask.all() || r.find(AUDIT_ARCH)) return;
  auto host = s.machine.value_or(s.options.host);
  auto& d = s.diags.report(Kind::ArchMissing,
                           r.syscalls.empty() ? s.syscall_range : r.syscalls.front().range,
                           "syscall rule without an arch field matches these syscall numbers "
                           "on every ABI");
  if (auto compat = tables::compat_machine(host)) {
    for (const ir::SyscallRef& sc : r.syscalls) {
      if (sc.name.empty()) continue;
      auto other = tables::syscall_number(sc.name, *compat);
      if (!other || *other != sc.number) {
        d.note(sc.range,
               fmt::format("'{}' is {} on {} but {} on {}, so 32-bit programs are filtered on "
                           "another syscall (auditctl: \"32/64 bit syscall mismatch\")",
                           sc.name, sc.number, tables::machine_name(host).value_or("?"),
                           other ? std::to_string(*other) : "absent",
                           tables::machine_name(*compat).value_or("?")));
        break;
      }
    }
  }
  d.note("add '-F arch=b64' (and a second rule with '-F arch=b32' if 32-bit programs matter)");
}

}  // namespace

void ClassicLowering::lower(const ParsedLine& line, ir::RuleSet& out, diag::DiagnosticSink& diags) {
  if (line.comment || line.blank()) {
    std::string_view text = line.comment ? line.text : std::string_view();
    out.statements.emplace_back(ir::Comment{std::string(text), ir::Origin::at(line.whole())});
    return;
  }
  if (immutable_at_.valid()) {
    diags
        .report(Kind::SemanticAfterImmutable, line.whole(),
                "this line comes after '-e 2'; the kernel refuses every change once the "
                "audit configuration is locked")
        .note(immutable_at_, "the configuration is locked here");
    return;
  }
  LineState s(line, diags, options_);
  if (size_t tab = line.text.find('\t'); tab != std::string_view::npos) {
    uint32_t col = static_cast<uint32_t>(tab + 1);
    diags.report(Kind::SyntaxTab, {line.file, line.line, col, col + 1},
                 "tab in a rule line; auditctl separates words with spaces only, so the tab "
                 "becomes part of a word");
  }
  for (size_t i = 0; i < line.options.size() && !s.failed && !s.skip_line; ++i) {
    const ParsedOption& o = line.options[i];
    handle_option(s, o);
    if (s.failed || !ends_line(o) || i + 1 == line.options.size()) continue;
    if (i == 0 && allowed_after(o, line.options)) {
      const ParsedOption& next = line.options[1];
      if (next.letter == 'k' && next.argument)
        s.controls.back().text = std::string(next.argument->text);
      break;
    }
    s.error(Kind::SemanticOptionMustBeAlone, line.options[i + 1].word,
            fmt::format("auditctl stops reading the line after '{}' and rejects what follows",
                        option_name(o)))
        .note("put each control option on a line of its own");
  }
  if (s.failed || s.skip_line) return;
  if (!s.list && s.syscall_added) {
    s.error(Kind::SemanticNoList, s.syscall_range, "-S given on a line without -a/-A/-d")
        .note("auditctl needs a list: '-a always,exit -F arch=b64 -S ...'");
    return;
  }
  if (s.list) {
    check_kernel_acceptance(s);
    if (s.failed) return;
  }
  for (ir::Control& c : s.controls) {
    if (c.kind == ir::ControlKind::Enabled && c.value == 2) immutable_at_ = line.whole();
  }
  // auditctl applies the control options of a line as it reads them, before the rule.
  for (ir::Control& c : s.controls) out.statements.emplace_back(std::move(c));
  if (s.list) {
    warn_missing_arch(s);
    finish_rule(s, out);
  }
}

}  // namespace af::sema
