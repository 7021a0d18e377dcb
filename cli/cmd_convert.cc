// auditforge convert FILE... [-o OUT]: classic rules to an idiomatic policy file.
#include "cli/commands.h"

namespace af::cli {

// convert is the policy target of compile under the name users look for.
void add_convert(CLI::App& sub, int& exit_code) {
  auto target = std::make_shared<std::string>("policy");
  add_compile_options(sub, exit_code, target);
  sub.footer("Example: auditforge convert /etc/audit/rules.d -o site.audit");
}

}  // namespace af::cli
