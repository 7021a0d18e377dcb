#include "simulator/report/summary.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace af::sim {

void VerdictCounts::add(const Decision& d) {
  switch (d.verdict) {
    case Verdict::Fired:
      ++fired;
      break;
    case Verdict::Suppressed:
      ++suppressed;
      break;
    case Verdict::Unmatched:
      ++unmatched;
      break;
    case Verdict::Undetermined:
      ++undetermined;
      break;
  }
  if (d.logged) ++logged;
}

void VerdictCounts::add(const VerdictCounts& later) {
  fired += later.fired;
  suppressed += later.suppressed;
  unmatched += later.unmatched;
  undetermined += later.undetermined;
  logged += later.logged;
}

std::string format_time_ms(uint64_t ms) {
  time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03u", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<unsigned>(ms % 1000));
  return buf;
}

std::string reason_category(std::string_view reason) {
  // Names and values differ from event to event; the rule and what is missing do not.
  std::string out;
  out.reserve(reason.size());
  bool in_quotes = false;
  for (size_t i = 0; i < reason.size(); ++i) {
    char c = reason[i];
    if (c == '"') {
      if (!in_quotes) out += "\"...\"";
      in_quotes = !in_quotes;
      continue;
    }
    if (in_quotes) continue;
    if (c == '(' && reason.substr(i).starts_with("(the event's")) {
      size_t close = reason.find(')', i);
      if (close == std::string_view::npos) break;
      while (!out.empty() && out.back() == ' ') out.pop_back();
      i = close;
      continue;
    }
    if (c >= '0' && c <= '9' && i > 0 && reason.substr(0, i).ends_with("for its ")) {
      while (i + 1 < reason.size() && reason[i + 1] >= '0' && reason[i + 1] <= '9') ++i;
      out += 'N';
      continue;
    }
    out += c;
  }
  return out;
}

Summary::Summary(std::vector<RuleLabel> labels, size_t max_reasons)
    : labels_(std::move(labels)),
      rules_(labels_.size()),
      timeline_slots_(labels_.size()),
      max_reasons_(max_reasons) {}

void Summary::add(const ReplayedEvent& event, const Decision& d) {
  uint64_t ms = event.event->time_ms();
  first_ms_ = std::min(first_ms_, ms);
  last_ms_ = std::max(last_ms_, ms);
  switch (event.kind) {
    case EventKind::Syscall:
      syscall_.add(d);
      break;
    case EventKind::UserMessage:
      user_.add(d);
      break;
    case EventKind::Other:
      other_.add(d);
      break;
  }
  if (d.verdict == Verdict::Undetermined) {
    if (last_reason_count_ && d.reason == last_reason_) {
      ++*last_reason_count_;
      return;
    }
    std::string category = reason_category(d.reason);
    auto it = undetermined_reasons_.find(category);
    if (it == undetermined_reasons_.end() && undetermined_reasons_.size() < max_reasons_) {
      reason_order_.push_back(category);
      it = undetermined_reasons_.emplace(std::move(category), 0).first;
    }
    last_reason_count_ = it != undetermined_reasons_.end() ? &it->second : &other_reasons_;
    last_reason_ = d.reason;
    ++*last_reason_count_;
    return;
  }
  if (d.rule < 0 || static_cast<size_t>(d.rule) >= rules_.size()) return;
  RuleStats& r = rules_[static_cast<size_t>(d.rule)];
  const bool first_hit = r.hits == 0;
  if (first_hit || ms < r.first_ms) r.first_ms = ms;
  r.last_ms = std::max(r.last_ms, ms);
  ++r.hits;
  uint64_t second = ms / 1000;
  if (second != r.second) {
    r.second = second;
    r.in_second = 0;
    if (!first_hit) r.one_run = false;
  }
  r.peak_per_second = std::max(r.peak_per_second, ++r.in_second);
  if (first_hit) r.head_second = second;
  if (r.one_run) r.head_run = r.in_second;
  // Hits come in bursts of one minute (and second): the map slot of the last one is kept.
  TimelineSlots& slots = timeline_slots_[static_cast<size_t>(d.rule)];
  if (slots.minute != ms / 60000 || !slots.minute_count) {
    slots.minute = ms / 60000;
    slots.minute_count = &r.per_minute[slots.minute];
  }
  ++*slots.minute_count;
  hit_first_ms_ = first_ms_;
  hit_last_ms_ = last_ms_;
  if (fine_ && last_ms_ - first_ms_ > kFineSpanMs) {
    fine_ = false;  // a long recording: minutes are fine enough, and bounded
    for (RuleStats& other : rules_) other.per_second.clear();
    for (TimelineSlots& other : timeline_slots_) other.second_count = nullptr;
  }
  if (fine_) {
    if (slots.second != second || !slots.second_count) {
      slots.second = second;
      slots.second_count = &r.per_second[second];
    }
    ++*slots.second_count;
  }
}

void Summary::merge(const Summary& later) {
  timeline_slots_.assign(rules_.size(), TimelineSlots{});  // the maps below change
  syscall_.add(later.syscall_);
  user_.add(later.user_);
  other_.add(later.other_);
  // Reasons: first come, first counted, up to the limit; as if `later` had been fed here.
  for (const std::string& why : later.reason_order_) {
    uint64_t n = later.undetermined_reasons_.at(why);
    auto it = undetermined_reasons_.find(why);
    if (it != undetermined_reasons_.end()) {
      it->second += n;
    } else if (undetermined_reasons_.size() < max_reasons_) {
      reason_order_.push_back(why);
      undetermined_reasons_.emplace(why, n);
    } else {
      other_reasons_ += n;
    }
  }
  other_reasons_ += later.other_reasons_;
  for (size_t i = 0; i < rules_.size() && i < later.rules_.size(); ++i) {
    RuleStats& a = rules_[i];
    const RuleStats& b = later.rules_[i];
    if (b.hits == 0) continue;
    if (a.hits == 0) {
      a = b;
      continue;
    }
    a.first_ms = std::min(a.first_ms, b.first_ms);
    a.last_ms = std::max(a.last_ms, b.last_ms);
    a.hits += b.hits;
    a.peak_per_second = std::max(a.peak_per_second, b.peak_per_second);
    if (a.second == b.head_second) {  // the run at the seam goes on
      uint64_t joined = a.in_second + b.head_run;
      a.peak_per_second = std::max(a.peak_per_second, joined);
      if (a.one_run) a.head_run = joined;
      a.one_run = a.one_run && b.one_run;
      a.in_second = b.one_run ? joined : b.in_second;
    } else {
      a.one_run = false;
      a.in_second = b.in_second;
    }
    a.second = b.second;
    for (const auto& [minute, n] : b.per_minute) a.per_minute[minute] += n;
    for (const auto& [sec, n] : b.per_second) a.per_second[sec] += n;
  }
  // The per-second timeline is dropped at the first hit where the span so far exceeds an
  // hour; the span grows monotonically, so the latest hit of `later` decides.
  bool later_hit = later.hit_first_ms_ <= later.hit_last_ms_;
  if (later_hit) {
    hit_first_ms_ = std::min(first_ms_, later.hit_first_ms_);
    hit_last_ms_ = std::max(last_ms_, later.hit_last_ms_);
  }
  first_ms_ = std::min(first_ms_, later.first_ms_);
  last_ms_ = std::max(last_ms_, later.last_ms_);
  if (!fine_ || !later.fine_ || (later_hit && hit_last_ms_ - hit_first_ms_ > kFineSpanMs)) {
    fine_ = false;
    for (RuleStats& r : rules_) r.per_second.clear();
  }
}

namespace {

nlohmann::json counts_json(const VerdictCounts& c) {
  return {{"events", c.total()},
          {"fired", c.fired},
          {"suppressed", c.suppressed},
          {"unmatched", c.unmatched},
          {"undetermined", c.undetermined},
          {"logged", c.logged}};
}

// "2.4 s", "35.0 min", "12.5 h".
std::string span_text(uint64_t first, uint64_t last) {
  double s = static_cast<double>(last - first) / 1000.0;
  char buf[32];
  if (s < 120)
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 7200)
    std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

double span_hours(uint64_t first, uint64_t last) {
  return last > first ? static_cast<double>(last - first) / 3.6e6 : 0.0;
}

}  // namespace

nlohmann::json Summary::to_json(const ReaderStats& reader) const {
  nlohmann::json j;
  bool any = first_ms_ <= last_ms_;
  j["span"] = {{"first", any ? nlohmann::json(format_time_ms(first_ms_)) : nlohmann::json(nullptr)},
               {"last", any ? nlohmann::json(format_time_ms(last_ms_)) : nlohmann::json(nullptr)},
               {"hours", any ? span_hours(first_ms_, last_ms_) : 0.0}};
  nlohmann::json malformed = nlohmann::json::array();
  for (const MalformedLine& m : reader.malformed_first)
    malformed.push_back(
        {{"file", m.where.file < files_.size() ? files_[m.where.file] : std::string()},
         {"line", m.where.line},
         {"text", m.excerpt}});
  j["reader"] = {{"lines", reader.lines},        {"records", reader.records},
                 {"events", reader.events},      {"malformed", reader.malformed},
                 {"malformed_first", malformed}, {"closed_by_timeout", reader.closed_by_timeout}};
  j["syscall_events"] = counts_json(syscall_);
  j["user_messages"] = counts_json(user_);
  j["other_events"] = counts_json(other_);
  double hours = any ? span_hours(first_ms_, last_ms_) : 0.0;
  nlohmann::json rules = nlohmann::json::array();
  for (size_t i = 0; i < rules_.size(); ++i) {
    const RuleStats& r = rules_[i];
    nlohmann::json e = {{"index", i + 1},
                        {"origin", labels_[i].origin},
                        {"rule", labels_[i].text},
                        {"hits", r.hits}};
    e["share"] = syscall_.total()
                     ? static_cast<double>(r.hits) / static_cast<double>(syscall_.total())
                     : 0.0;
    e["per_hour"] =
        hours > 0 ? nlohmann::json(static_cast<double>(r.hits) / hours) : nlohmann::json(nullptr);
    e["first_seen"] = r.hits ? nlohmann::json(format_time_ms(r.first_ms)) : nlohmann::json(nullptr);
    e["last_seen"] = r.hits ? nlohmann::json(format_time_ms(r.last_ms)) : nlohmann::json(nullptr);
    e["peak_per_second"] = r.peak_per_second;
    rules.push_back(std::move(e));
  }
  j["rules"] = std::move(rules);
  nlohmann::json never = nlohmann::json::array();
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].hits == 0) never.push_back(i + 1);
  j["never_fired"] = std::move(never);
  nlohmann::json reasons = nlohmann::json::array();
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [why, n] : undetermined_reasons_) sorted.emplace_back(n, why);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [n, why] : sorted) reasons.push_back({{"reason", why}, {"events", n}});
  if (other_reasons_)
    reasons.push_back({{"reason", "(other reasons)"}, {"events", other_reasons_}});
  j["undetermined"] = std::move(reasons);
  return j;
}

void Summary::write_text(std::ostream& out, const ReaderStats& reader) const {
  char buf[512];
  bool any = first_ms_ <= last_ms_;
  std::snprintf(buf, sizeof buf,
                "Replayed %" PRIu64 " events (%" PRIu64 " syscall, %" PRIu64
                " user messages, %" PRIu64 " other) from %" PRIu64 " records; %" PRIu64
                " malformed lines\n",
                syscall_.total() + user_.total() + other_.total(), syscall_.total(), user_.total(),
                other_.total(), reader.records, reader.malformed);
  out << buf;
  for (const MalformedLine& m : reader.malformed_first)
    out << "  malformed: "
        << (m.where.file < files_.size() ? files_[m.where.file] : std::string("?")) << ":"
        << m.where.line << ": " << m.excerpt << "\n";
  if (any)
    out << "Span: " << format_time_ms(first_ms_) << " to " << format_time_ms(last_ms_) << " UTC ("
        << span_text(first_ms_, last_ms_) << ")\n";
  auto pct = [](uint64_t n, uint64_t total) {
    return total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0;
  };
  const VerdictCounts& s = syscall_;
  std::snprintf(buf, sizeof buf,
                "Syscall events: fired %" PRIu64 " (%.1f%%), suppressed %" PRIu64
                ", unmatched %" PRIu64 ", undetermined %" PRIu64 "; %" PRIu64 " would be logged\n",
                s.fired, pct(s.fired, s.total()), s.suppressed, s.unmatched, s.undetermined,
                s.logged);
  out << buf;
  if (user_.total()) {
    std::snprintf(buf, sizeof buf,
                  "User messages: kept %" PRIu64 ", dropped %" PRIu64 ", undetermined %" PRIu64
                  "\n",
                  user_.logged, user_.suppressed, user_.undetermined);
    out << buf;
  }
  double hours = any ? span_hours(first_ms_, last_ms_) : 0.0;
  out << "\n   #      hits   share   per hour  peak/s  first seen               last seen          "
         "      "
         "origin  rule\n";
  std::vector<size_t> fired;
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].hits) fired.push_back(i);
  for (size_t i : fired) {
    const RuleStats& r = rules_[i];
    char rate[32] = "-";
    if (hours > 0) std::snprintf(rate, sizeof rate, "%.1f", static_cast<double>(r.hits) / hours);
    std::snprintf(buf, sizeof buf, "%4zu %9" PRIu64 " %6.1f%% %10s %7" PRIu64 "  %s  %s  ", i + 1,
                  r.hits, pct(r.hits, s.total()), rate, r.peak_per_second,
                  format_time_ms(r.first_ms).c_str(), format_time_ms(r.last_ms).c_str());
    out << buf << labels_[i].origin << "  " << labels_[i].text << "\n";
  }
  size_t never = rules_.size() - fired.size();
  if (never) {
    out << "\nRules that never fired (" << never << "):\n";
    for (size_t i = 0; i < rules_.size(); ++i)
      if (!rules_[i].hits)
        out << "  " << i + 1 << "  " << labels_[i].origin << "  " << labels_[i].text << "\n";
  }
  if (!undetermined_reasons_.empty()) {
    out << "\nUndetermined (" << s.undetermined + user_.undetermined + other_.undetermined
        << " events):\n";
    std::vector<std::pair<uint64_t, std::string>> sorted;
    for (const auto& [why, n] : undetermined_reasons_) sorted.emplace_back(n, why);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [n, why] : sorted) out << "  " << n << "  " << why << "\n";
    if (other_reasons_) out << "  " << other_reasons_ << "  (other reasons)\n";
  }
}

}  // namespace af::sim
