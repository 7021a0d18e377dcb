// libFuzzer target for both front ends (classic rules and policy files): any bytes must
// parse, validate, render and encode without crashing, leaking or tripping a sanitizer.
//
//   scripts/fuzz.sh [SECONDS]   builds with clang (ASan+UBSan+libFuzzer) and runs this target
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/compiler.h"
#include "compiler/diag/render.h"
#include "compiler/emit/rule_text.h"
#include "compiler/sema/loaded_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  af::Compilation c;
  af::sema::LowerOptions options;
  options.stat_watch_paths = false;  // keep runs independent of the host's files
  af::load_classic_text("fuzz.rules", std::string(reinterpret_cast<const char*>(data), size), c,
                        options);
  af::emit::ListingState state;
  for (const af::ir::Rule& r : af::sema::loaded_rules(c.rules, c.diags)) {
    af::emit::RuleData decoded;
    if (!af::emit::decode_rule(af::emit::encode_rule(r), decoded)) __builtin_trap();
    (void)af::emit::listing_text(decoded, state);
    (void)af::emit::rule_text(r);
  }
  (void)af::diag::render_text(c.diags.diagnostics(), c.sources);
  (void)af::diag::render_json(c.diags.diagnostics(), c.sources);

  // The same bytes as a policy file: parse, lower (includes are left unresolved by name
  // only, since the fuzzer's cwd has no such files), encode.
  af::Compilation p;
  af::load_policy_text("fuzz.audit", std::string(reinterpret_cast<const char*>(data), size), p);
  for (const af::ir::Rule& r : af::sema::loaded_rules(p.rules, p.diags))
    (void)af::emit::rule_text(r);
  (void)af::diag::render_text(p.diags.diagnostics(), p.sources);
  return 0;
}
