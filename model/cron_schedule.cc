#include "model/cron_schedule.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <vector>

#include "model/check.h"

namespace adze::model {
namespace {

constexpr int64_t kMinutesPerDay = 24 * 60;
// Lookbacks are clamped to ~400 years so t - lookback cannot overflow.
constexpr Duration kMaxLookback = 400LL * 366 * 24 * kHour;

// Bits 0..x set.
uint64_t BitsUpTo(int32_t x) { return x >= 63 ? ~uint64_t{0} : (uint64_t{2} << x) - 1; }

int32_t HighestBit(uint64_t v) { return 63 - std::countl_zero(v); }

// ---- cron parsing ----------------------------------------------------------

struct FieldSpec {
  const char* name;
  int32_t min;
  int32_t max;       // largest value `*` and `v/n` expand to
  int32_t max_explicit;  // largest value that may be written (7 for day-of-week)
  const std::array<const char*, 13>* names;  // names[i] spells value i; nullptr: none
  const char* names_hint;
};

constexpr std::array<const char*, 13> kMonthNames = {nullptr, "jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul",   "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 13> kWeekdayNames = {"sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                                       nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, 59, nullptr, ""},
    {"hour", 0, 23, 23, nullptr, ""},
    {"day-of-month", 1, 31, 31, nullptr, ""},
    {"month", 1, 12, 12, &kMonthNames, " or a name JAN..DEC"},
    {"day-of-week", 0, 6, 7, &kWeekdayNames, " or a name SUN..SAT"},
}};

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Parses a decimal number of at most 9 digits (no sign). nullopt otherwise.
std::optional<int32_t> ParseNumber(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

class CronParser {
 public:
  explicit CronParser(std::string_view spec) : spec_(spec) {}

  Error Fail(const FieldSpec& f, const std::string& what) const {
    return Error::InvalidArgument("cron " + Quote(spec_) + ": " + f.name + ": " + what);
  }

  // A number or (where the field has names) a name.
  Result<int32_t> Value(const FieldSpec& f, std::string_view token, std::string_view item) const {
    if (auto n = ParseNumber(token)) {
      if (*n < f.min || *n > f.max_explicit) {
        return Fail(f, "value " + Quote(token) + " in " + Quote(item) + " is out of range " + std::to_string(f.min) +
                           "-" + std::to_string(f.max_explicit));
      }
      return *n;
    }
    if (f.names != nullptr) {
      const std::string lower = Lower(token);
      for (size_t i = 0; i < f.names->size(); ++i) {
        if ((*f.names)[i] != nullptr && lower == (*f.names)[i]) return static_cast<int32_t>(i);
      }
    }
    return Fail(f, "bad value " + Quote(token) + " in " + Quote(item) + ": want a number " + std::to_string(f.min) +
                       "-" + std::to_string(f.max_explicit) + f.names_hint);
  }

  // One list element: `*`, `?`, v, a-b, with an optional /n. Sets *star when
  // the element is `*` or `?` with no step above 1 (robfig's starBit).
  Result<uint64_t> Item(const FieldSpec& f, std::string_view item, bool* star) const {
    if (item.empty()) return Fail(f, "empty element in list");
    std::string_view range = item;
    std::optional<int32_t> step;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      if (step_text.find('/') != std::string_view::npos) return Fail(f, "too many '/' in " + Quote(item));
      step = ParseNumber(step_text);
      if (!step) return Fail(f, "bad step " + Quote(step_text) + " in " + Quote(item) + ": want a positive number");
      if (*step == 0) return Fail(f, "step in " + Quote(item) + " must be positive");
      if (range.empty()) return Fail(f, "missing range before '/' in " + Quote(item));
    }
    int32_t lo = 0;
    int32_t hi = 0;
    bool is_star = false;
    if (range == "*" || range == "?") {
      lo = f.min;
      hi = f.max;
      is_star = true;
    } else {
      size_t dash = range.find('-');
      if (dash == std::string_view::npos) {
        Result<int32_t> v = Value(f, range, item);
        if (!v.ok()) return v.error();
        lo = *v;
        hi = step ? f.max : lo;  // robfig: "v/n" means v-max/n
        if (step && lo > hi) hi = lo;  // e.g. day-of-week "7/2": just Sunday
      } else {
        std::string_view a = range.substr(0, dash);
        std::string_view b = range.substr(dash + 1);
        if (b.find('-') != std::string_view::npos) return Fail(f, "too many '-' in " + Quote(item));
        if (a.empty() || b.empty()) return Fail(f, "incomplete range " + Quote(item));
        Result<int32_t> va = Value(f, a, item);
        if (!va.ok()) return va.error();
        Result<int32_t> vb = Value(f, b, item);
        if (!vb.ok()) return vb.error();
        lo = *va;
        hi = *vb;
        if (lo > hi) {
          return Fail(f, "range " + Quote(item) + " runs backwards (" + std::to_string(lo) + " > " +
                             std::to_string(hi) + ")");
        }
      }
    }
    const int32_t n = step.value_or(1);
    uint64_t bits = 0;
    for (int32_t i = lo; i <= hi; i += n) bits |= uint64_t{1} << i;
    if (is_star && n <= 1) *star = true;
    return bits;
  }

  Result<uint64_t> Field(const FieldSpec& f, std::string_view text, bool* star) const {
    uint64_t bits = 0;
    size_t start = 0;
    while (true) {
      size_t comma = text.find(',', start);
      std::string_view item = text.substr(start, comma == std::string_view::npos ? text.size() - start : comma - start);
      Result<uint64_t> b = Item(f, item, star);
      if (!b.ok()) return b.error();
      bits |= *b;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return bits;
  }

 private:
  std::string_view spec_;
};

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::string_view> ExpandMacro(std::string_view m) {
  if (m == "@yearly" || m == "@annually") return "0 0 1 1 *";
  if (m == "@monthly") return "0 0 1 * *";
  if (m == "@weekly") return "0 0 * * 0";
  if (m == "@daily" || m == "@midnight") return "0 0 * * *";
  if (m == "@hourly") return "0 * * * *";
  return std::nullopt;
}
}  // namespace

// ---- CronSchedule -------------------------------------------------------------

Result<CronSchedule> CronSchedule::Parse(std::string_view spec) {
  spec = Trim(spec);
  if (spec.empty()) return Error::InvalidArgument("cron \"\": empty schedule");
  std::string_view body = spec;
  if (spec.front() == '@') {
    std::optional<std::string_view> expanded = ExpandMacro(spec);
    if (!expanded) {
      return Error::InvalidArgument("cron " + Quote(spec) + ": unknown macro " + Quote(spec) +
                                    " (want @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)");
    }
    body = *expanded;
  }
  const std::vector<std::string_view> fields = SplitFields(body);
  if (fields.size() != kFields.size()) {
    return Error::InvalidArgument("cron " + Quote(spec) +
                                  ": want 5 fields (minute hour day-of-month month day-of-week), found " +
                                  std::to_string(fields.size()));
  }
  CronParser parser(spec);
  std::array<uint64_t, 5> bits{};
  std::array<bool, 5> star{};
  for (size_t i = 0; i < kFields.size(); ++i) {
    Result<uint64_t> b = parser.Field(kFields[i], fields[i], &star[i]);
    if (!b.ok()) return b.error();
    bits[i] = *b;
  }
  CronSchedule s;
  s.spec_ = std::string(spec);
  s.minutes_ = bits[0];
  s.hours_ = bits[1];
  s.doms_ = bits[2];
  s.months_ = bits[3];
  s.dows_ = bits[4] & 0x7f;
  if (bits[4] & (uint64_t{1} << 7)) s.dows_ |= 1;  // 7 = Sunday
  s.dom_star_ = star[2];
  s.dow_star_ = star[4];
  return s;
}

bool CronSchedule::DayMatches(int32_t day_of_month, int32_t weekday) const {
  const bool dom = (doms_ >> day_of_month) & 1;
  const bool dow = (dows_ >> weekday) & 1;
  if (dom_star_ || dow_star_) return dom && dow;
  return dom || dow;
}

bool CronSchedule::Matches(const CivilMinute& m) const {
  ADZE_DCHECK(m.month >= 1 && m.month <= 12 && m.day >= 1 && m.day <= DaysInMonth(m.year, m.month));
  ADZE_DCHECK(m.hour >= 0 && m.hour < 24 && m.minute >= 0 && m.minute < 60);
  if (!((minutes_ >> m.minute) & 1) || !((hours_ >> m.hour) & 1) || !((months_ >> m.month) & 1)) return false;
  return DayMatches(m.day, WeekdayFromDays(DaysFromCivil(m.year, m.month, m.day)));
}

bool CronSchedule::CanEverMatch() const {
  if (minutes_ == 0 || hours_ == 0 || months_ == 0) return false;
  // Every month has every weekday, so a day-of-week restriction can always be
  // met; only a day-of-month that no selected month has can make it empty.
  const bool dom_feasible = [&] {
    for (int32_t m = 1; m <= 12; ++m) {
      if (((months_ >> m) & 1) && (doms_ & BitsUpTo(m == 2 ? 29 : DaysInMonth(2001, m)))) return true;
    }
    return false;
  }();
  if (dom_star_ || dow_star_) return dom_feasible && dows_ != 0;  // AND
  return dom_feasible || dows_ != 0;                              // OR
}

std::optional<Duration> CronSchedule::LastHitAtOrBefore(Duration t, Duration lookback) const {
  if (lookback < 0 || !CanEverMatch()) return std::nullopt;
  lookback = std::min(lookback, kMaxLookback);
  const int64_t lo = CeilDiv(t - lookback, kMinute);  // Unix minutes
  int64_t cur = FloorDiv(t, kMinute);
  while (cur >= lo) {
    const int64_t day = FloorDiv(cur, kMinutesPerDay);
    const int64_t day_start = day * kMinutesPerDay;
    const CivilDate date = CivilFromDays(day);
    if (!((months_ >> date.month) & 1)) {  // skip to the previous month's last minute
      cur = (day - (date.day - 1)) * kMinutesPerDay - 1;
      continue;
    }
    if (!DayMatches(date.day, WeekdayFromDays(day))) {
      cur = day_start - 1;
      continue;
    }
    const int32_t in_day = static_cast<int32_t>(cur - day_start);
    const int32_t hour = in_day / 60;
    const uint64_t hours = hours_ & BitsUpTo(hour);
    if (hours == 0) {
      cur = day_start - 1;
      continue;
    }
    const int32_t h = HighestBit(hours);
    const uint64_t minutes = minutes_ & BitsUpTo(h == hour ? in_day % 60 : 59);
    if (minutes == 0) {  // nothing left in hour h: try the hours before it
      cur = day_start + h * 60 - 1;
      continue;
    }
    const int64_t hit = day_start + h * 60 + HighestBit(minutes);
    if (hit < lo) return std::nullopt;
    return hit * kMinute;
  }
  return std::nullopt;
}
}  // namespace adze::model
