// --html: the replay summary as one self-contained page (inline CSS and SVG, no scripts, no
// network): verdict counts, the per-rule table and a chart of each rule's hits over time.
#pragma once

#include <string>

#include "simulator/report/summary.h"

namespace af::sim {

std::string render_html(const Summary& summary, const ReaderStats& reader);

}  // namespace af::sim
