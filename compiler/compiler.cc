#include "compiler/compiler.h"

#include <fmt/format.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/frontend/classic_parser.h"
#include "compiler/frontend/input_lines.h"
#include "compiler/frontend/policy_parser.h"
#include "compiler/frontend/yaml_rules.h"

namespace af {
namespace {

void lower_lines(const std::vector<frontend::InputLine>& lines, Compilation& out,
                 frontend::ClassicParser& parser, sema::ClassicLowering& lowering) {
  for (const frontend::InputLine& line : lines) {
    frontend::ParsedLine parsed = parser.parse(line, out.diags);
    lowering.lower(parsed, out.rules, out.diags);
  }
}

// Parses policy files and splices included files' items in at their include, detecting
// cycles through the chain of files being read.
class PolicyLoader {
 public:
  explicit PolicyLoader(Compilation& out) : out_(out) {}

  void load(uint32_t file, std::vector<std::string>& chain) {
    files_.push_back(frontend::parse_policy(out_.sources, file, out_.diags));
    const policy::PolicyFile& parsed = files_.back();
    std::string name = out_.sources.file(file).name;
    chain.push_back(canonical(name));
    for (const policy::Item& item : parsed.items) {
      const auto* inc = std::get_if<policy::Include>(&item);
      if (!inc) {
        items_.push_back(&item);
        continue;
      }
      std::filesystem::path target = inc->path;
      if (target.is_relative()) target = std::filesystem::path(name).parent_path() / target;
      std::string key = canonical(target.string());
      if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
        out_.diags.report(
            diag::Kind::SemanticIncludeCycle, inc->range,
            fmt::format("'{}' is already being read; includes form a cycle", inc->path));
        continue;
      }
      std::ifstream in(target, std::ios::binary);
      std::ostringstream content;
      if (!in || std::filesystem::is_directory(target) || !(content << in.rdbuf())) {
        out_.diags.report(diag::Kind::SemanticIncludeMissing, inc->range,
                          fmt::format("cannot read included file '{}'", target.string()));
        continue;
      }
      load(out_.sources.add(target.string(), content.str()), chain);
    }
    chain.pop_back();
  }

  const std::vector<const policy::Item*>& items() const { return items_; }

 private:
  static std::string canonical(const std::string& path) {
    std::error_code ec;
    auto c = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : c.string();
  }

  Compilation& out_;
  std::deque<policy::PolicyFile> files_;  // stable addresses for items_
  std::vector<const policy::Item*> items_;
};

}  // namespace

bool is_policy_input(const std::string& path) { return path.ends_with(".audit"); }

Expected<void> load_policy(const std::vector<std::string>& inputs, Compilation& out,
                           const sema::PolicyOptions& options) {
  PolicyLoader loader(out);
  for (const std::string& input : inputs) {
    auto bytes = frontend::read_input(input);
    if (!bytes) return tl::unexpected(bytes.error());
    std::vector<std::string> chain;
    loader.load(out.sources.add(input, std::move(*bytes)), chain);
  }
  sema::lower_policy(loader.items(), options, out.rules, out.diags);
  return {};
}

void load_policy_text(std::string name, std::string text, Compilation& out,
                      const sema::PolicyOptions& options) {
  PolicyLoader loader(out);
  std::vector<std::string> chain;
  loader.load(out.sources.add(std::move(name), std::move(text)), chain);
  sema::lower_policy(loader.items(), options, out.rules, out.diags);
}

Expected<void> load_inputs(const std::vector<std::string>& inputs, Compilation& out,
                           const sema::LowerOptions& classic, const sema::PolicyOptions& policy) {
  size_t policies = 0;
  for (const std::string& in : inputs) policies += is_policy_input(in) ? 1 : 0;
  if (policies == 0) return load_classic(inputs, out, classic);
  if (policies == inputs.size()) return load_policy(inputs, out, policy);
  return tl::unexpected(SysError{"mix", "inputs",
                                 "give either policy files (*.audit) or classic "
                                 "rule files, not both",
                                 0});
}

Expected<void> load_classic(const std::vector<std::string>& inputs, Compilation& out,
                            const sema::LowerOptions& options) {
  frontend::ClassicParser parser;
  sema::ClassicLowering lowering(options);
  for (const std::string& input : inputs) {
    if (frontend::is_yaml_input(input)) {
      auto file = frontend::extract_yaml_rules(input, out.sources, out.diags);
      if (!file) return tl::unexpected(file.error());
      lower_lines(frontend::lines_of(out.sources, *file), out, parser, lowering);
      continue;
    }
    auto lines = frontend::load_rule_lines(input, out.sources, out.diags);
    if (!lines) return tl::unexpected(lines.error());
    lower_lines(*lines, out, parser, lowering);
  }
  return {};
}

void load_classic_text(std::string name, std::string text, Compilation& out,
                       const sema::LowerOptions& options) {
  frontend::ClassicParser parser;
  sema::ClassicLowering lowering(options);
  uint32_t id = out.sources.add(std::move(name), std::move(text));
  lower_lines(frontend::lines_of(out.sources, id), out, parser, lowering);
}

}  // namespace af
