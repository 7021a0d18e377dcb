#include "simulator/report/html.h"

#include <fmt/format.h>

#include <algorithm>

namespace af::sim {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out;
}

constexpr int kBuckets = 60;

// Hits per bucket over the recording's span, as SVG bars. `series` counts hits per unit
// (second or minute) since the epoch; `first` and `units` give the span in those units.
std::string chart(const std::map<uint64_t, uint64_t>& series, uint64_t first, uint64_t units) {
  std::vector<uint64_t> buckets(kBuckets);
  for (const auto& [unit, n] : series) {
    uint64_t b = units ? (unit - first) * kBuckets / units : 0;
    buckets[std::min<uint64_t>(b, kBuckets - 1)] += n;
  }
  uint64_t top = std::max<uint64_t>(1, *std::max_element(buckets.begin(), buckets.end()));
  std::string svg = fmt::format(
      R"(<svg class="chart" width="{}" height="32" role="img" aria-label="hits over time">)",
      kBuckets * 4);
  for (int i = 0; i < kBuckets; ++i) {
    if (!buckets[i]) continue;
    double h = 30.0 * static_cast<double>(buckets[i]) / static_cast<double>(top);
    svg +=
        fmt::format(R"(<rect x="{}" y="{:.1f}" width="3" height="{:.1f}"><title>{}</title></rect>)",
                    i * 4, 32 - h, std::max(h, 1.0), buckets[i]);
  }
  return svg + "</svg>";
}

}  // namespace

std::string render_html(const Summary& s, const ReaderStats& reader) {
  const VerdictCounts& v = s.syscalls();
  bool any = s.first_ms() <= s.last_ms();
  std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>auditforge simulation report</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:middle}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:12px}
.chart rect{fill:#3572b0}
.never td{color:#888}
</style></head><body>
<h1>auditforge simulation report</h1>
)";
  html += fmt::format(
      "<p id=\"totals\">{} syscall events: <b>{}</b> fired, {} suppressed, {} unmatched, {} "
      "undetermined; {} "
      "would be logged. {} records read, {} malformed lines.</p>\n",
      v.total(), v.fired, v.suppressed, v.unmatched, v.undetermined, v.logged, reader.records,
      reader.malformed);
  if (any)
    html += fmt::format("<p id=\"span\">From {} to {} UTC.</p>\n", format_time_ms(s.first_ms()),
                        format_time_ms(s.last_ms()));
  const uint64_t unit_ms = s.per_second_timeline() ? 1000 : 60000;
  uint64_t first_unit = any ? s.first_ms() / unit_ms : 0;
  uint64_t units = any ? s.last_ms() / unit_ms - first_unit + 1 : 1;
  html +=
      "<table "
      "id=\"rules\"><thead><tr><th>#</th><th>hits</th><th>share</th><th>peak/s</th><th>first "
      "seen</th>"
      "<th>last seen</th><th>over time</th><th>origin</th><th>rule</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < s.rules().size(); ++i) {
    const RuleStats& r = s.rules()[i];
    double share =
        v.total() ? 100.0 * static_cast<double>(r.hits) / static_cast<double>(v.total()) : 0.0;
    html += fmt::format(
        "<tr class=\"{}\"><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{:.1f}%</td>"
        "<td "
        "class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></"
        "tr>\n",
        r.hits ? "fired" : "never", i + 1, r.hits, share, r.peak_per_second,
        r.hits ? format_time_ms(r.first_ms) : "", r.hits ? format_time_ms(r.last_ms) : "",
        r.hits ? chart(s.per_second_timeline() ? r.per_second : r.per_minute, first_unit, units)
               : "",
        escape(s.labels()[i].origin), escape(s.labels()[i].text));
  }
  html += "</tbody></table>\n</body></html>\n";
  return html;
}

}  // namespace af::sim
