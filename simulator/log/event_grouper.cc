#include "simulator/log/event_grouper.h"

#include <charconv>
#include <cstring>

#include "compiler/tables/tables.h"

namespace af::sim {

std::string Event::id() const {
  char buf[64];
  char* p = std::to_chars(buf, buf + sizeof buf, seconds).ptr;
  *p++ = '.';
  *p++ = static_cast<char>('0' + millis / 100 % 10);
  *p++ = static_cast<char>('0' + millis / 10 % 10);
  *p++ = static_cast<char>('0' + millis % 10);
  *p++ = ':';
  p = std::to_chars(p, buf + sizeof buf, serial).ptr;
  return std::string(buf, p);
}

Event::Event(const Event& other)
    : node(other.node),
      seconds(other.seconds),
      millis(other.millis),
      serial(other.serial),
      first(other.first),
      records(other.records) {
  keep_lines();
}

Event& Event::operator=(const Event& other) {
  if (this != &other) {
    Event copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void Event::keep_lines() {
  size_t total = 0;
  for (const Record& r : records) total += r.node.size() + r.type.size() + r.body.size();
  std::vector<char> kept(total);
  char* at = kept.data();
  auto keep = [&](std::string_view& part) {
    if (part.empty()) return;
    std::memcpy(at, part.data(), part.size());
    part = std::string_view(at, part.size());
    at += part.size();
  };
  for (Record& r : records) {
    keep(r.node);
    keep(r.type);
    keep(r.body);
  }
  kept_.swap(kept);  // the old copy, which records may have viewed, goes only now
}

bool ends_event(std::string_view type) {
  uint32_t number = 0;
  if (type.starts_with("UNKNOWN[")) {
    std::from_chars(type.data() + 8, type.data() + type.size(), number);
  } else if (auto n = tables::msg_type(type)) {
    number = *n;
  } else {
    return false;
  }
  // PROCTITLE (1327), EOE (1320), USER (1005), user and daemon messages (1100-1299),
  // KERNEL (2000), the MAC_UNLBL_ALLOW..MAC_CALIPSO_DEL range and everything from 2100 on.
  return number == 1327 || number == 1320 || number == 1005 || (number >= 1100 && number <= 1299) ||
         number == 2000 || (number >= 1406 && number <= 1419) || number >= 2100;
}

bool EventGrouper::ends_event_cached(const Record& r) {
  // The types of nearly every record are known without a look at the cache.
  switch (r.kind) {
    case RecordKind::Syscall:
    case RecordKind::Path:
    case RecordKind::Cwd:
    case RecordKind::Sockaddr:
    case RecordKind::Openat2:
      return false;
    case RecordKind::Proctitle:
    case RecordKind::Eoe:
      return true;
    case RecordKind::Other:
      break;
  }
  std::string_view type = r.type;
  for (const auto& [name, last] : type_cache_)
    if (name.size() == type.size() && name == type) return last;
  bool last = ends_event(type);
  if (type_cache_.size() < 256) type_cache_.emplace_back(std::string(type), last);
  return last;
}

Event& EventGrouper::open_event(const Record& r, LinePosition where) {
  if (open_.size() >= kMaxOpen) {
    ++stats_.closed_by_limit;
    close(0);
  }
  if (!spare_.empty()) {
    open_.push_back(std::move(spare_.back()));
    spare_.pop_back();
  } else {
    open_.push_back(std::make_unique<Event>());
  }
  Event& e = *open_.back();
  e.node.assign(r.node);
  e.seconds = r.seconds;
  e.millis = r.millis;
  e.serial = r.serial;
  e.first = where;
  e.records.clear();
  return e;
}

bool EventGrouper::add_line(std::string_view line, LinePosition where) {
  ++stats_.lines;
  Record r;
  if (!parse_record(line, r, &stamp_)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;  // blank
    ++stats_.malformed;
    if (stats_.malformed_first.size() < kMalformedKept)
      stats_.malformed_first.push_back({where, std::string(line.substr(0, 80))});
    return false;
  }
  ++stats_.records;
  uint64_t ms = r.seconds * 1000 + r.millis;
  size_t i = open_.size();
  while (i > 0) {
    const Event& e = *open_[i - 1];
    if (e.serial == r.serial && e.millis == r.millis && e.seconds == r.seconds &&
        e.node.size() == r.node.size() && (r.node.empty() || e.node == r.node))
      break;
    --i;
  }
  Event& e = i > 0 ? *open_[i - 1] : open_event(r, where);
  size_t index = i > 0 ? i - 1 : open_.size() - 1;
  e.records.push_back(r);
  if (ends_event_cached(r)) close(index);
  if (ms > newest_ms_) {
    newest_ms_ = ms;
    for (size_t k = 0; k < open_.size();) {
      if (open_[k]->time_ms() + kTimeoutMs < newest_ms_) {
        ++stats_.closed_by_timeout;
        close(k);
      } else {
        ++k;
      }
    }
  }
  return true;
}

void EventGrouper::close(size_t index) {
  std::unique_ptr<Event> e = std::move(open_[index]);
  // Most events close newest first (their last record) or oldest first (timeouts).
  if (index + 1 == open_.size())
    open_.pop_back();
  else if (index == 0)
    open_.pop_front();
  else
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(index));
  ++stats_.events;
  sink_(*e);
  if (spare_.size() < 64) spare_.push_back(std::move(e));
}

void EventGrouper::keep_open_lines() {
  for (std::unique_ptr<Event>& e : open_) e->keep_lines();
}

void EventGrouper::follow(LineSource& source) {
  source.before_refill([this] { keep_open_lines(); });
}

EventGrouper::State EventGrouper::state() const {
  State s{{}, newest_ms_};
  for (const std::unique_ptr<Event>& e : open_) s.open.push_back(*e);
  return s;
}

bool EventGrouper::is_at(const State& state) const {
  if (newest_ms_ != state.newest_ms || open_.size() != state.open.size()) return false;
  for (size_t i = 0; i < open_.size(); ++i) {
    const Event& a = *open_[i];
    const Event& b = state.open[i];
    if (a.serial != b.serial || a.seconds != b.seconds || a.millis != b.millis ||
        a.node != b.node || a.records.size() != b.records.size())
      return false;
    for (size_t k = 0; k < a.records.size(); ++k) {
      const Record &x = a.records[k], &y = b.records[k];
      if (x.node != y.node || x.type != y.type || x.body != y.body) return false;
    }
  }
  return true;
}

void EventGrouper::resume(State state) {
  open_.clear();
  for (Event& e : state.open) open_.push_back(std::make_unique<Event>(std::move(e)));
  newest_ms_ = state.newest_ms;
}

void EventGrouper::finish() {
  while (!open_.empty()) close(0);
}

}  // namespace af::sim
