#include "linter/check_context.h"

#include <fmt/format.h>

#include <cctype>

#include "compiler/tables/tables.h"

namespace af::lint {

Finding& Reporter::report(CheckId id, ir::SourceRange range, std::string message) {
  const CheckInfo& i = info(id);
  Finding f;
  f.check = i.id;
  f.severity = i.severity;
  f.range = range;
  f.message = std::move(message);
  findings_.push_back(std::move(f));
  return findings_.back();
}

Finding& Reporter::report(CheckId id, const ir::Rule& rule, ir::SourceRange range,
                          std::string message) {
  Finding& f = report(id, range.valid() ? range : rule.origin.range, std::move(message));
  f.rule = rule.origin.range;
  return f;
}

std::string_view written_value(const ir::Field& field, const diag::SourceSet& sources) {
  const ir::SourceRange& r = field.range;
  if (!r.valid() || r.file > sources.size() || r.end_column <= r.column) return "";
  std::string_view line = sources.file(r.file).line(r.line);
  if (r.end_column - 1 > line.size()) return "";
  std::string_view pair = line.substr(r.column - 1, r.end_column - r.column);
  auto name = tables::field_name(field.id);
  if (!name || pair.size() <= name->size()) return "";
  for (size_t i = 0; i < name->size(); ++i)
    if (std::tolower(static_cast<unsigned char>(pair[i])) != (*name)[i]) {
      // Aliases (loginuid for auid) are written under another name: find the operator.
      size_t op = pair.find_first_of("=!<>&");
      if (op == std::string_view::npos) return "";
      pair = pair.substr(op);
      size_t value = pair.find_first_not_of("=!<>&");
      return value == std::string_view::npos ? "" : pair.substr(value);
    }
  pair.remove_prefix(name->size());
  size_t value = pair.find_first_not_of("=!<>&");
  if (value == 0 || value == std::string_view::npos) return "";
  return pair.substr(value);
}

std::string syscall_label(const ir::Rule& rule, uint32_t number) {
  for (const ir::SyscallRef& s : rule.syscalls)
    if (s.number == number && !s.name.empty()) return s.name;
  if (auto name = tables::syscall_name(number, static_cast<tables::Machine>(rule.machine)))
    return std::string(*name);
  return fmt::format("#{}", number);
}

std::vector<std::string> syscall_names(const ir::Rule& rule) {
  std::vector<std::string> names;
  if (rule.mask.all()) return names;
  for (uint32_t w = 0; w < ir::SyscallMask::kWords; ++w)
    for (uint32_t b = 0, word = rule.mask.words[w]; word; ++b, word >>= 1)
      if (word & 1u) names.push_back(syscall_label(rule, w * 32 + b));
  return names;
}

bool has_field(const ir::Rule& rule, uint32_t field_id) { return rule.find(field_id) != nullptr; }

bool is_watch(const ir::Rule& rule) {
  return has_field(rule, AUDIT_WATCH) || has_field(rule, AUDIT_DIR);
}

std::string_view field_label(uint32_t field_id) {
  if (field_id == AUDIT_LOGINUID) return "auid";
  return tables::field_name(field_id).value_or("field");
}

}  // namespace af::lint
