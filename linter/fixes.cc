// Applies findings' mechanical fixes to the source bytes, leaving every other byte alone, and
// builds the fixes that need the whole rule: splitting an arch-less rule by arch (dropping the
// syscalls the 32-bit ABI lacks) and merging rules that differ only in their syscalls.
#include <algorithm>
#include <map>

#include "compiler/emit/rule_text.h"
#include "compiler/tables/tables.h"
#include "linter/check_context.h"
#include "linter/linter.h"

namespace af::lint {
namespace {

struct Edit {
  size_t begin, end;  // byte offsets in the file
  const Fix* fix;
};

// Byte offsets of a fix, or nullopt when the range is not inside the file.
std::optional<Edit> locate(const Fix& fix, const diag::SourceFile& file) {
  const ir::SourceRange& r = fix.range;
  if (r.line == 0 || r.line > file.line_count()) return std::nullopt;
  size_t start = file.line_starts[r.line - 1];
  size_t line_end = start + file.line(r.line).size();
  if (fix.whole_line) {
    size_t end = r.line < file.line_count() ? file.line_starts[r.line] : file.bytes.size();
    return Edit{start, end, &fix};
  }
  if (r.column == 0 || r.end_column < r.column) return std::nullopt;
  size_t begin = start + r.column - 1, end = start + r.end_column - 1;
  if (end > line_end) return std::nullopt;
  return Edit{begin, end, &fix};
}

}  // namespace

std::map<uint32_t, std::string> apply_fixes(const std::vector<Finding>& findings,
                                            const diag::SourceSet& sources, size_t& applied) {
  applied = 0;
  std::map<uint32_t, std::vector<Edit>> by_file;
  for (const Finding& f : findings)
    for (const Fix& fix : f.fixes) {
      if (!fix.range.valid() || fix.range.file > sources.size()) continue;
      if (auto e = locate(fix, sources.file(fix.range.file))) by_file[fix.range.file].push_back(*e);
    }
  std::map<uint32_t, std::string> out;
  for (auto& [file, edits] : by_file) {
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    const std::string& bytes = sources.file(file).bytes;
    std::string text;
    size_t at = 0;
    for (const Edit& e : edits) {
      // An insertion at the end of an edit already applied still fits; an overlap does not.
      if (e.begin < at) continue;
      text.append(bytes, at, e.begin - at);
      text += e.fix->replacement;
      at = e.end;
      ++applied;
    }
    text.append(bytes, at, std::string::npos);
    out.emplace(file, std::move(text));
  }
  return out;
}

}  // namespace af::lint

namespace af::lint {

bool fixable_line(const ir::Rule& rule, const diag::SourceSet& sources) {
  const ir::SourceRange& r = rule.origin.range;
  if (!r.valid() || r.file > sources.size() || !rule.origin.policy_rule.empty()) return false;
  const std::string& name = sources.file(r.file).name;
  for (std::string_view ext : {".yml", ".yaml", ".audit"})
    if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      return false;
  std::string_view line = sources.file(r.file).line(r.line);
  return !line.empty() && line[0] == '-';
}

void add_arch_split_fixes(std::vector<Finding>& findings, const ir::RuleSet& set,
                          const diag::SourceSet& sources) {
  std::map<std::pair<uint32_t, uint32_t>, const ir::Rule*> by_line;
  set.for_each_rule([&](const ir::Rule& r) {
    by_line.emplace(std::make_pair(r.origin.range.file, r.origin.range.line), &r);
  });
  for (Finding& f : findings) {
    if (f.check != "arch-missing") continue;
    auto it = by_line.find({f.range.file, f.range.line});
    if (it == by_line.end() || !fixable_line(*it->second, sources)) continue;
    const ir::Rule& r = *it->second;
    auto host = r.machine ? static_cast<tables::Machine>(r.machine) : tables::host_machine();
    auto host_arch = tables::machine_to_arch(host);
    auto compat = tables::compat_machine(host);
    auto compat_arch = compat ? tables::machine_to_arch(*compat) : std::nullopt;
    if (!host_arch || !tables::is_64bit_arch(*host_arch)) continue;
    bool numeric = std::any_of(r.syscalls.begin(), r.syscalls.end(),
                               [](const ir::SyscallRef& s) { return s.name.empty(); });
    if (numeric || r.syscalls.empty()) continue;  // a number means nothing on the other ABI
    auto with_arch = [&](uint32_t arch, tables::Machine machine) {
      ir::Rule out = r;
      out.fields.insert(out.fields.begin(), ir::Field{AUDIT_ARCH, ir::Op::Equal, arch, "", {}});
      out.machine = static_cast<uint32_t>(machine);
      out.mask = {};
      out.syscalls.clear();
      for (const ir::SyscallRef& s : r.syscalls)
        if (auto nr = tables::syscall_number(s.name, machine)) {
          out.mask.set(*nr);
          out.syscalls.push_back({*nr, s.name, {}});
        }
      return out;
    };
    ir::Rule b64 = with_arch(*host_arch, host);
    std::string text = emit::rule_text(b64, host) + "\n";
    if (compat && compat_arch) {
      ir::Rule b32 = with_arch(*compat_arch, *compat);
      if (!b32.syscalls.empty()) text += emit::rule_text(b32, host) + "\n";
    }
    f.fixes.push_back({r.origin.range, std::move(text), true});
  }
}

}  // namespace af::lint
