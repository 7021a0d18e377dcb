// The kernel::LoadRequest for a compilation: its rules as the kernel will list them (with the
// own-rules mark when asked) and the control settings it sets. Shared by `load` and by
// `record --rules`.
#pragma once

#include "compiler/compiler.h"
#include "kernel/load_plan.h"

namespace af::cli {

/// Reports what cannot be loaded (one-shot commands, keys too long for the mark) into
/// c.diags; the caller checks c.diags.has_errors().
kernel::LoadRequest load_request(Compilation& c, bool own, bool allow_immutable);

}  // namespace af::cli
