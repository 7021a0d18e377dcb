#include "compiler/emit/rule_text.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>

#include "compiler/sema/field_table.h"

namespace af::emit {
namespace {

std::string_view op_symbol(uint32_t op) { return ir::op_symbol(static_cast<ir::Op>(op)); }

bool lists_no_syscalls(uint32_t list) {
  return list == AUDIT_FILTER_USER || list == AUDIT_FILTER_TASK || list == AUDIT_FILTER_EXCLUDE ||
         list == AUDIT_FILTER_FS;
}

// auditctl prints a rule as a watch ("-w PATH -p PERM -k KEY") when it has only path, dir,
// perm and key fields, a perm among them, and all syscalls.
bool is_watch(const RuleData& r) {
  bool perm = false;
  for (const auto& f : r.fields) {
    if (f.field == AUDIT_PERM) perm = true;
    if (f.field != AUDIT_PERM && f.field != AUDIT_FILTERKEY && f.field != AUDIT_DIR &&
        f.field != AUDIT_WATCH)
      return false;
  }
  uint32_t list = r.flags & ~0x10u;
  bool all = lists_no_syscalls(list) && list != AUDIT_FILTER_FS ? true : r.mask.all();
  return perm && all;
}

// auditctl prints nothing for a comparison code it does not know.
std::string compare(uint32_t code, uint32_t op) {
  auto c = sema::comparison_by_code(code);
  if (!c) return "";
  return fmt::format(" -C {}{}{}", c->left_name, op_symbol(op), c->right_name);
}

}  // namespace

std::string escape_word(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == ' ') out += '\\';
    out += c;
  }
  return out;
}

namespace {

// Prints a rule as auditctl -l does, or, with `faithful`, in a form that reloads to the same
// rule.
// Whether "-w PATH" reloads to this path or dir field: -w trims trailing slashes and picks
// dir= only when stat() says PATH is a directory.
bool watch_form_reloads(const RuleData::Entry& path_field, bool stat_paths) {
  const std::string& p = path_field.text;
  if (p.size() > 2 && p.back() == '/') return false;
  bool is_dir = false;
  if (stat_paths) {
    struct stat st;
    is_dir = ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  return is_dir == (path_field.field == AUDIT_DIR);
}

std::string render(const RuleData& r, ListingState& state, tables::Machine host, bool faithful,
                   bool stat_paths = true) {
  std::string out;
  bool watch = is_watch(r);
  // A source line must reload to the same rule, so string values are escaped the way
  // auditctl unescapes them; the listing prints them raw.
  auto str = [faithful](const std::string& v) { return faithful ? escape_word(v) : v; };
  if (faithful && watch) {
    // The watch form drops the action and the list, and prints fields in rule order, so
    // keep it only for what "-w PATH -p PERM -k KEY" rebuilds exactly.
    bool starts_with_path =
        !r.fields.empty() && (r.fields[0].field == AUDIT_WATCH || r.fields[0].field == AUDIT_DIR);
    bool perm_second = r.fields.size() > 1 && r.fields[1].field == AUDIT_PERM;
    bool rest_keys = true;
    for (size_t i = 2; i < r.fields.size(); ++i)
      if (r.fields[i].field != AUDIT_FILTERKEY) rest_keys = false;
    watch = starts_with_path && perm_second && rest_keys && r.action == AUDIT_ALWAYS &&
            (r.flags & ~0x10u) == AUDIT_FILTER_EXIT && watch_form_reloads(r.fields[0], stat_paths);
  }
  uint32_t list = r.flags & ~0x10u;
  std::optional<uint32_t>& elf = state.last_arch;
  if (!watch) {
    out += fmt::format("-a {},{}", tables::action_name(r.action).value_or("?"),
                       tables::list_name(list).value_or("?"));
    for (const auto& f : r.fields) {
      if (f.field != AUDIT_ARCH) continue;
      elf = f.value;
      auto m = tables::arch_to_machine(f.value);
      // The listing says b64/b32 for every arch, which reloads as the host's own ABI; a
      // source line names any other arch.
      auto host_arch = tables::machine_to_arch(host);
      auto compat = tables::compat_machine(host);
      auto compat_arch = compat ? tables::machine_to_arch(*compat) : std::nullopt;
      bool host_abi = f.value == host_arch || f.value == compat_arch;
      if (!m) {
        out += fmt::format(" -F arch{}0x{:X}", op_symbol(f.op), f.value);
      } else if (faithful && !host_abi) {
        out += fmt::format(" -F arch{}{}", op_symbol(f.op), tables::machine_name(*m).value_or("?"));
      } else {
        out += fmt::format(" -F arch{}{}", op_symbol(f.op),
                           tables::is_64bit_arch(f.value) ? "b64" : "b32");
      }
    }
    if (!lists_no_syscalls(list)) {
      if (r.mask.all()) {
        out += " -S all";
      } else {
        std::optional<tables::Machine> machine = host;
        if (elf) machine = tables::arch_to_machine(*elf);
        bool first = true;
        for (uint32_t nr = 0; nr < ir::SyscallMask::kMaxSyscall; ++nr) {
          if (!r.mask.test(nr)) continue;
          out += first ? " -S " : ",";
          first = false;
          auto name = machine ? tables::syscall_name(nr, *machine) : std::nullopt;
          out += name ? std::string(*name) : std::to_string(nr);
        }
      }
    }
  }
  for (const auto& f : r.fields) {
    std::string_view op = op_symbol(f.op);
    auto name = tables::field_name(f.field);
    if (f.field == AUDIT_ARCH) continue;
    if (!name) {
      out += fmt::format(" f{}{}{}", f.field, op, static_cast<int32_t>(f.value));
      continue;
    }
    switch (f.field) {
      case AUDIT_MSGTYPE:
        if (auto t = tables::msg_type_name(f.value)) {
          out += fmt::format(" -F {}{}{}", *name, op, *t);
        } else {
          out += fmt::format(" -F {}{}{}", *name, op, static_cast<int32_t>(f.value));
        }
        break;
      case AUDIT_WATCH:
      case AUDIT_DIR:
        if (watch) {
          out += fmt::format("-w {}", str(f.text));
        } else {
          out += fmt::format(" -F {}={}", f.field == AUDIT_WATCH ? "path" : "dir", str(f.text));
        }
        break;
      case AUDIT_FILTERKEY: {
        // auditctl splits the key buffer at 0x01 with strtok, so empty parts vanish.
        size_t pos = 0;
        while (pos <= f.text.size()) {
          size_t sep = f.text.find('\x01', pos);
          if (sep == std::string::npos) sep = f.text.size();
          if (sep > pos) out += (watch ? " -k " : " -F key=") + str(f.text.substr(pos, sep - pos));
          pos = sep + 1;
        }
        break;
      }
      case AUDIT_PERM:
        out += (watch ? " -p " : " -F perm=") + ir::perm_letters(f.value);
        break;
      case AUDIT_INODE:
        out += fmt::format(" -F {}{}{}", *name, op, f.value);
        break;
      case AUDIT_FIELD_COMPARE:
        out += compare(f.value, f.op);
        break;
      case AUDIT_ARG0:
      case AUDIT_ARG1:
      case AUDIT_ARG2:
      case AUDIT_ARG3:
        out += fmt::format(" -F {}{}0x{:X}", *name, op, f.value);
        break;
      case AUDIT_EXIT: {
        int32_t v = static_cast<int32_t>(f.value);
        auto err = tables::errno_name(std::abs(v));
        if (v < 0 && err) {
          out += fmt::format(" -F {}{}-{}", *name, op, *err);
        } else {
          out += fmt::format(" -F {}{}{}", *name, op, v);
        }
        break;
      }
      case AUDIT_FILETYPE:
        // auditctl lists the mode number, but reads only names: keep the name in a source line.
        if (auto t = tables::file_type_name(f.value); faithful && t) {
          out += fmt::format(" -F {}{}{}", *name, op, *t);
        } else {
          out += fmt::format(" -F {}{}{}", *name, op, static_cast<int32_t>(f.value));
        }
        break;
      case AUDIT_EXE:
        // auditctl always prints '=' here, even for exe!=.
        out += fmt::format(" -F exe{}{}", faithful ? op : "=", str(f.text));
        break;
      case AUDIT_FSTYPE:
        if (auto fs = tables::fs_type_name(f.value)) {
          out += fmt::format(" -F {}{}{}", *name, op, *fs);
        } else {
          out += fmt::format(" -F {}{}{}", *name, op, static_cast<int32_t>(f.value));
        }
        break;
      default:
        if (!f.text.empty() || f.field == AUDIT_EXE ||
            (f.field >= AUDIT_SUBJ_USER && f.field <= AUDIT_OBJ_LEV_HIGH &&
             f.field != AUDIT_PPID)) {
          out += fmt::format(" -F {}{}{}", *name, op, str(f.text));
        } else {
          out += fmt::format(" -F {}{}{}", *name, op, static_cast<int32_t>(f.value));
        }
        break;
    }
  }
  return out;
}

}  // namespace

std::string listing_text(const RuleData& r, ListingState& state, tables::Machine host) {
  return render(r, state, host, /*faithful=*/false);
}

std::string rule_text(const ir::Rule& rule, tables::Machine host, bool stat_paths) {
  RuleData data;
  decode_rule(encode_rule(rule), data);
  ListingState fresh;
  std::string text = render(data, fresh, host, /*faithful=*/true, stat_paths);
  // The listing always says -a/-w; a source line must keep -A, -d and -W.
  auto replace_prefix = [&](std::string_view from, std::string_view to) {
    if (text.starts_with(from)) text.replace(0, from.size(), to);
  };
  switch (rule.form) {
    case ir::RuleForm::Prepend:
      replace_prefix("-a ", "-A ");
      break;
    case ir::RuleForm::Delete:
      replace_prefix("-a ", "-d ");
      replace_prefix("-w ", "-W ");
      break;
    case ir::RuleForm::Unwatch:
      replace_prefix("-w ", "-W ");
      replace_prefix("-a ", "-d ");
      break;
    case ir::RuleForm::Append:
    case ir::RuleForm::Watch:
      break;
  }
  return text;
}

std::vector<std::string> rule_words(const ir::Rule& rule, tables::Machine host, bool stat_paths) {
  std::string text = rule_text(rule, host, stat_paths);
  std::vector<std::string> words(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      words.back() += text[++i];
    } else if (text[i] == ' ') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back() += text[i];
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::string control_text(const ir::Control& c) {
  using K = ir::ControlKind;
  switch (c.kind) {
    case K::DeleteAll:
      return c.text.empty() ? "-D" : "-D -k " + c.text;
    case K::Enabled:
      return fmt::format("-e {}", c.value);
    case K::FailureMode:
      return fmt::format("-f {}", c.value);
    case K::RateLimit:
      return fmt::format("-r {}", c.value);
    case K::BacklogLimit:
      return fmt::format("-b {}", c.value);
    case K::BacklogWaitTime:
      return fmt::format("--backlog_wait_time {}", c.value);
    case K::ResetBacklogWaitTimeActual:
      return "--reset_backlog_wait_time_actual";
    case K::LoginuidImmutable:
      return "--loginuid-immutable";
    case K::ResetLost:
      return "--reset-lost";
    case K::ContinueOnError:
      return "-c";
    case K::IgnoreErrors:
      return "-i";
    case K::List:
      return "-l";
    case K::Status:
      return "-s";
    case K::Message:
      return "-m " + c.text;
    case K::Trim:
      return "-t";
    case K::MakeEquivalent:
      return "-q " + c.text;
    case K::Signal:
      return "--signal " + c.text;
  }
  return "";
}

}  // namespace af::emit
