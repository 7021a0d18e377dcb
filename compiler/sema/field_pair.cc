#include "compiler/sema/field_pair.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <string>

#include "compiler/sema/field_table.h"

namespace af::sema {
namespace {

using diag::Kind;

// auditctl looks for operators in this order (lib/libaudit.c, audit_rule_fieldpair_data).
struct OpSpelling {
  std::string_view text;
  ir::Op op;
};
constexpr std::array kOpSearchOrder = {
    OpSpelling{"!=", ir::Op::NotEqual},  OpSpelling{">=", ir::Op::GreaterEqual},
    OpSpelling{"<=", ir::Op::LessEqual}, OpSpelling{"&=", ir::Op::BitTest},
    OpSpelling{"=", ir::Op::Equal},      OpSpelling{">", ir::Op::Greater},
    OpSpelling{"<", ir::Op::Less},       OpSpelling{"&", ir::Op::BitMask},
};

constexpr uint32_t kMaxStringBytes = 4096;  // PATH_MAX: the kernel's limit per string field

bool starts_with_digit(std::string_view v) {
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0]));
}

bool starts_with_negative_number(std::string_view v) {
  return v.size() > 1 && v[0] == '-' && std::isdigit(static_cast<unsigned char>(v[1]));
}

// Ranges inside the argument word, for carets under the value or the operator.
ir::SourceRange sub_range(const ir::SourceRange& word, size_t offset, size_t length) {
  ir::SourceRange r = word;
  r.column = word.column + static_cast<uint32_t>(offset);
  r.end_column = r.column + static_cast<uint32_t>(length ? length : 1);
  return r;
}

std::string list_label(ir::List l) {
  auto name = tables::list_name(static_cast<uint32_t>(l));
  return name ? std::string(*name) : fmt::format("list {}", static_cast<uint32_t>(l));
}

}  // namespace

uint32_t c_number(std::string_view text) {
  std::string s(text);
  if (!s.empty() && s[0] == '-') return static_cast<uint32_t>(std::strtol(s.c_str(), nullptr, 0));
  return static_cast<uint32_t>(std::strtoul(s.c_str(), nullptr, 0));
}

std::optional<SplitPair> split_field_pair(std::string_view pair) {
  for (const OpSpelling& o : kOpSearchOrder) {
    size_t at = pair.find(o.text);
    if (at == std::string_view::npos) continue;
    return SplitPair{pair.substr(0, at), o.op, pair.substr(at + o.text.size()), at, o.text.size()};
  }
  return std::nullopt;
}

std::optional<uint32_t> parse_arch(std::string_view value, tables::Machine host) {
  std::optional<tables::Machine> m;
  std::string lower;
  for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "b64") {
    // b64 names the host's own 64-bit ABI; a 32-bit host has none.
    auto arch = tables::machine_to_arch(host);
    if (!arch || !tables::is_64bit_arch(*arch)) return std::nullopt;
    return arch;
  }
  if (lower == "b32") {
    auto arch = tables::machine_to_arch(host);
    if (arch && !tables::is_64bit_arch(*arch)) return arch;
    auto compat = tables::compat_machine(host);
    if (!compat) return std::nullopt;
    return tables::machine_to_arch(*compat);
  }
  if (starts_with_digit(value)) {
    uint32_t elf = c_number(value);
    if (!tables::arch_to_machine(elf)) return std::nullopt;
    return elf;
  }
  m = tables::machine_from_name(value);
  if (m) return tables::machine_to_arch(*m);
  // Last, auditctl reads the value as bare hex ("c000003e").
  std::string hex(value);
  char* end = nullptr;
  unsigned long elf = std::strtoul(hex.c_str(), &end, 16);
  if (end == hex.c_str() || !tables::arch_to_machine(static_cast<uint32_t>(elf)))
    return std::nullopt;
  return static_cast<uint32_t>(elf);
}

std::optional<ir::Field> parse_field_pair(std::string_view pair, const ir::SourceRange& where,
                                          const FieldContext& ctx, diag::DiagnosticSink& diags) {
  auto split = split_field_pair(pair);
  if (!split) {
    diags.report(Kind::SemanticBadFieldValue, where,
                 fmt::format("'{}' has no operator; expected name=value, name!=value, ...", pair));
    return std::nullopt;
  }
  ir::SourceRange name_range = sub_range(where, 0, split->name.size());
  ir::SourceRange op_range = sub_range(where, split->op_offset, split->op_length);
  ir::SourceRange value_range =
      sub_range(where, split->op_offset + split->op_length, split->value.size());
  if (split->name.empty()) {
    diags.report(Kind::SemanticUnknownField, op_range,
                 fmt::format("missing field name before '{}'",
                             pair.substr(split->op_offset, split->op_length)));
    return std::nullopt;
  }
  if (split->value.empty()) {
    diags.report(Kind::SemanticBadFieldValue, op_range,
                 fmt::format("missing value after '{}'",
                             pair.substr(0, split->op_offset + split->op_length)));
    return std::nullopt;
  }
  auto id = tables::field_id(split->name);
  std::optional<FieldRule> rule = id ? field_rule(*id) : std::nullopt;
  if (!rule) {
    diags.report(Kind::SemanticUnknownField, name_range,
                 fmt::format("unknown field '{}'", split->name));
    return std::nullopt;
  }
  std::string_view name = split->name;
  std::string_view v = split->value;
  ir::Field f;
  f.id = *id;
  f.op = split->op;
  f.range = where;

  if (!(rule->lists & list_bit(ctx.list))) {
    auto& d = diags.report(
        Kind::SemanticFieldNotOnList, name_range,
        fmt::format("field '{}' cannot be used on the {} list", name, list_label(ctx.list)));
    if (rule->lists == kExitOnly) d.note("it is only valid on the exit list");
    if (f.id == AUDIT_MSGTYPE) d.note("msgtype is only valid on the user and exclude lists");
    if (f.id == AUDIT_FSTYPE) d.note("fstype is only valid on the filesystem list");
    return std::nullopt;
  }
  if (!op_allowed(rule->ops, f.op)) {
    std::string_view allowed = rule->ops == OpSet::EqualOnly    ? "only '='"
                               : rule->ops == OpSet::EqualNotEq ? "only '=' and '!='"
                                                                : "no bit operators";
    diags
        .report(Kind::SemanticOperatorNotAllowed, op_range,
                fmt::format("operator '{}' is not allowed for field '{}'",
                            pair.substr(split->op_offset, split->op_length), name))
        .note(fmt::format("'{}' takes {}", name, allowed));
    return std::nullopt;
  }

  auto bad_value = [&](std::string message) {
    diags.report(Kind::SemanticBadFieldValue, value_range, std::move(message));
    return std::nullopt;
  };

  switch (rule->kind) {
    case ValueKind::Uid: {
      if (starts_with_digit(v) || starts_with_negative_number(v)) {
        f.value = c_number(v);
      } else if (v == "unset") {
        f.value = 4294967295u;
      } else {
        std::string user(v);
        struct passwd* pw = ::getpwnam(user.c_str());
        if (!pw) {
          diags
              .report(Kind::SemanticUnknownUser, value_range,
                      fmt::format("unknown user '{}' on this host", v))
              .note("auditctl resolves user names on the machine that loads the rules");
          return std::nullopt;
        }
        f.value = pw->pw_uid;
      }
      // The kernel takes "unset" (-1) only for the login uid; for every other uid field it
      // is an invalid kuid (EINVAL).
      if (f.value == 4294967295u && f.id != AUDIT_LOGINUID) {
        return bad_value(
            fmt::format("'{}' is not a valid value for '{}'; the kernel rejects "
                        "uid 4294967295 (-1) except for auid",
                        v, name));
      }
      break;
    }
    case ValueKind::Gid: {
      if (starts_with_digit(v)) {
        f.value = c_number(v);
      } else {
        std::string group(v);
        struct group* gr = ::getgrnam(group.c_str());
        if (!gr) {
          diags
              .report(Kind::SemanticUnknownGroup, value_range,
                      fmt::format("unknown group '{}' on this host", v))
              .note("auditctl resolves group names on the machine that loads the rules");
          return std::nullopt;
        }
        f.value = gr->gr_gid;
      }
      if (f.value == 4294967295u)
        return bad_value(fmt::format("'{}' is not a valid gid; the kernel rejects it", v));
      break;
    }
    case ValueKind::Number:
      if (!starts_with_digit(v))
        return bad_value(fmt::format("'{}' must be a number for '{}'", v, name));
      f.value = c_number(v);
      break;
    case ValueKind::SignedNum:
      if (!starts_with_digit(v) && !starts_with_negative_number(v))
        return bad_value(fmt::format("'{}' must be a number for '{}'", v, name));
      f.value = c_number(v);
      break;
    case ValueKind::Session:
      // auditctl stores anything that is not a number, -N or "unset" as 0, silently.
      f.value = v == "unset"                                               ? 4294967295u
                : (starts_with_digit(v) || starts_with_negative_number(v)) ? c_number(v)
                                                                           : 0;
      break;
    case ValueKind::Loose:
      f.value = c_number(v);
      if (f.id == AUDIT_SADDR_FAM && f.value >= AF_MAX)
        return bad_value(fmt::format("saddr_fam {} is too large; the largest family is {}", f.value,
                                     AF_MAX - 1));
      break;
    case ValueKind::Exit: {
      if (starts_with_digit(v) || starts_with_negative_number(v)) {
        f.value = c_number(v);
      } else {
        bool negative = v[0] == '-';
        auto e = tables::errno_number(negative ? v.substr(1) : v);
        if (!e) return bad_value(fmt::format("unknown errno name '{}'", v));
        f.value = static_cast<uint32_t>(negative ? -*e : *e);
        if (!negative) {
          diags
              .report(Kind::SemanticPositiveErrno, value_range,
                      fmt::format("'exit={}' compares with +{}, but failing syscalls return "
                                  "-{}; this condition never matches a failure",
                                  v, *e, *e))
              .note(fmt::format("write 'exit=-{}'", v));
        }
      }
      break;
    }
    case ValueKind::MsgType: {
      if (starts_with_digit(v)) {
        f.value = c_number(v);
      } else {
        auto t = tables::msg_type(v);
        if (!t) return bad_value(fmt::format("unknown message type '{}'", v));
        f.value = *t;
      }
      break;
    }
    case ValueKind::Arch: {
      if (ctx.syscalls_given) {
        diags.report(Kind::ArchAfterSyscall, name_range, "the arch field must come before -S")
            .note("auditctl resolves syscall names with the arch known when it reads -S");
        return std::nullopt;
      }
      auto arch = parse_arch(v, ctx.host);
      if (!arch) return bad_value(fmt::format("unknown arch '{}'", v));
      f.value = *arch;
      break;
    }
    case ValueKind::Perm: {
      if (v.size() > 4)
        return bad_value(fmt::format("permission '{}' is longer than 4 letters", v));
      uint32_t bits = 0;
      for (char c : v) {
        switch (std::tolower(static_cast<unsigned char>(c))) {
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
            diags.report(Kind::SemanticBadPerm, value_range,
                         fmt::format("permission '{}' may only contain the letters r, w, x, a", v));
            return std::nullopt;
        }
      }
      f.value = bits;
      break;
    }
    case ValueKind::FileType: {
      auto t = tables::file_type(v);
      if (!t) return bad_value(fmt::format("unknown file type '{}'", v));
      f.value = *t;
      break;
    }
    case ValueKind::FsType: {
      if (starts_with_digit(v)) {
        f.value = c_number(v);
        break;
      }
      auto t = tables::fs_type(v);
      if (!t) return bad_value(fmt::format("unknown filesystem type '{}'", v));
      f.value = *t;
      break;
    }
    case ValueKind::Path:
    case ValueKind::Exe:
    case ValueKind::Label:
    case ValueKind::Key:
      if (v.size() > kMaxStringBytes)
        return bad_value(
            fmt::format("value is {} bytes; the kernel limit is {}", v.size(), kMaxStringBytes));
      if (rule->kind == ValueKind::Path && v[0] != '/')
        return bad_value(fmt::format("'{}' must be an absolute path", v));
      if (rule->kind == ValueKind::Path && v.size() > 1 && v.back() == '/' && f.id == AUDIT_WATCH)
        return bad_value(fmt::format("path '{}' ends with '/'; the kernel rejects it", v));
      f.text = std::string(v);
      f.value = static_cast<uint32_t>(v.size());
      break;
  }
  return f;
}

}  // namespace af::sema
