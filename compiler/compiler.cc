#include "compiler/compiler.h"

#include "compiler/frontend/classic_parser.h"
#include "compiler/frontend/input_lines.h"

namespace af {
namespace {

void lower_lines(const std::vector<frontend::InputLine>& lines, Compilation& out,
                 frontend::ClassicParser& parser, sema::ClassicLowering& lowering) {
  for (const frontend::InputLine& line : lines) {
    frontend::ParsedLine parsed = parser.parse(line, out.diags);
    lowering.lower(parsed, out.rules, out.diags);
  }
}

}  // namespace

Expected<void> load_classic(const std::vector<std::string>& inputs, Compilation& out,
                            const sema::LowerOptions& options) {
  frontend::ClassicParser parser;
  sema::ClassicLowering lowering(options);
  for (const std::string& input : inputs) {
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
