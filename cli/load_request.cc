#include "cli/load_request.h"

#include <fmt/format.h>
#include <linux/audit.h>

#include "compiler/emit/rule_text.h"
#include "compiler/sema/loaded_rules.h"
#include "kernel/own_mark.h"

namespace af::cli {
namespace {

std::optional<kernel::Setting> setting_of(ir::ControlKind k) {
  using K = ir::ControlKind;
  using S = kernel::Setting;
  switch (k) {
    case K::FailureMode:
      return S::Failure;
    case K::RateLimit:
      return S::RateLimit;
    case K::BacklogLimit:
      return S::BacklogLimit;
    case K::BacklogWaitTime:
      return S::BacklogWaitTime;
    case K::LoginuidImmutable:
      return S::LoginuidImmutable;
    case K::Enabled:
      return S::Enabled;
    default:
      return std::nullopt;
  }
}

// The settings the input asks for. -D is implied by load (and ignored with --own); commands
// that print (-l, -s) have no effect anyway; the rest are one-shot actions load does not send.
void collect_settings(Compilation& c, kernel::LoadRequest& request) {
  using K = ir::ControlKind;
  for (const ir::Statement& s : c.rules.statements) {
    const auto* control = std::get_if<ir::Control>(&s);
    if (!control) continue;
    if (auto setting = setting_of(control->kind)) {
      request.settings.push_back({*setting, control->value, control->origin.range});
      continue;
    }
    if (control->kind == K::DeleteAll || control->kind == K::List || control->kind == K::Status)
      continue;
    c.diags.report(diag::Kind::KernelControlNotLoaded, control->origin.range,
                   fmt::format("load does not send '{}'; it stops and rolls back at the first "
                               "refusal and sends only rules and settings",
                               emit::control_text(*control)));
  }
}

void collect_rules(Compilation& c, bool own, kernel::LoadRequest& request) {
  for (ir::Rule& r : sema::loaded_rules(c.rules, c.diags)) {
    if (own) {
      kernel::add_own_mark(r);
      if (r.joined_key().size() > AUDIT_MAX_KEY_LEN) {
        c.diags.report(diag::Kind::KernelOwnKeyTooLong,
                       r.key_range.valid() ? r.key_range : r.origin.range,
                       fmt::format("with the own-rules mark '{}' the keys are {} bytes; the "
                                   "kernel limit is {}",
                                   kernel::kOwnMark, r.joined_key().size(), AUDIT_MAX_KEY_LEN));
        continue;
      }
    }
    request.rules.push_back({kernel::kernel_bytes(r), r.origin.range});
  }
}

}  // namespace

kernel::LoadRequest load_request(Compilation& c, bool own, bool allow_immutable) {
  kernel::LoadRequest request;
  request.own_only = own;
  request.allow_immutable = allow_immutable;
  collect_rules(c, own, request);
  collect_settings(c, request);
  return request;
}

}  // namespace af::cli
