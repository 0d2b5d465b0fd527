#include "controllers/disruption/budget.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <vector>

#include "model/check.h"

namespace adze::controllers::disruption {
namespace {

constexpr int64_t kMinutesPerDay = 24 * 60;
constexpr int64_t kSimEpochMinute = kSimEpochUnixSeconds / 60;  // Unix minutes
// Lookbacks are clamped to ~400 years so t - lookback cannot overflow.
constexpr model::Duration kMaxLookback = 400LL * 366 * 24 * model::kHour;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

// Bits 0..x set.
uint64_t BitsUpTo(int32_t x) { return x >= 63 ? ~uint64_t{0} : (uint64_t{2} << x) - 1; }

int32_t HighestBit(uint64_t v) { return 63 - std::countl_zero(v); }

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t DaysInMonth(int64_t y, int32_t m) {
  static constexpr std::array<int32_t, 13> kDays = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m];
}

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

std::string Describe(const model::Budget& b) {
  std::string s = std::to_string(b.nodes) + (b.percent ? "%" : "");
  if (!b.schedule.empty()) s += " schedule " + Quote(b.schedule);
  if (b.duration) s += " for " + model::FormatDuration(*b.duration);
  if (!b.reasons.empty()) {
    s += " reasons ";
    for (size_t i = 0; i < b.reasons.size(); ++i) {
      if (i > 0) s += ",";
      s += model::DisruptionReasonName(b.reasons[i]);
    }
  }
  return s;
}

}  // namespace

// ---- civil time --------------------------------------------------------------

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;                                // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]
  CivilDate c;
  c.day = static_cast<int32_t>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int32_t>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

int32_t WeekdayFromDays(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  const int64_t r = (days + 4) % 7;
  return static_cast<int32_t>(r < 0 ? r + 7 : r);
}

CivilMinute ToCivilMinute(model::Duration t) {
  const int64_t minute = FloorDiv(t, model::kMinute) + kSimEpochMinute;
  const int64_t day = FloorDiv(minute, kMinutesPerDay);
  const int64_t in_day = minute - day * kMinutesPerDay;
  const CivilDate d = CivilFromDays(day);
  return CivilMinute{d.year, d.month, d.day, static_cast<int32_t>(in_day / 60), static_cast<int32_t>(in_day % 60)};
}

model::Duration FromCivilMinute(const CivilMinute& m) {
  const int64_t minute = DaysFromCivil(m.year, m.month, m.day) * kMinutesPerDay + m.hour * 60 + m.minute;
  return (minute - kSimEpochMinute) * model::kMinute;
}

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

std::optional<model::Duration> CronSchedule::LastHitAtOrBefore(model::Duration t, model::Duration lookback) const {
  if (lookback < 0 || !CanEverMatch()) return std::nullopt;
  lookback = std::min(lookback, kMaxLookback);
  const int64_t lo = CeilDiv(t - lookback, model::kMinute) + kSimEpochMinute;  // Unix minutes
  int64_t cur = FloorDiv(t, model::kMinute) + kSimEpochMinute;
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
    return (hit - kSimEpochMinute) * model::kMinute;
  }
  return std::nullopt;
}

// ---- budgets ---------------------------------------------------------------------

Result<bool> BudgetIsActive(const model::Budget& b, model::Duration now) {
  if (b.schedule.empty() && !b.duration) return true;
  Result<CronSchedule> s = CronSchedule::Parse(b.schedule);
  if (!s.ok()) return s.error();
  if (!s->CanEverMatch()) return true;  // robfig returns the zero time, which is not After(now)
  const model::Duration duration = b.duration.value_or(0);
  if (duration <= 0) return false;
  std::optional<model::Duration> hit = s->LastHitAtOrBefore(now, duration);
  return hit.has_value() && *hit > now - duration;
}

int64_t BudgetNodeLimit(const model::Budget& b, int32_t total_nodes) {
  if (!b.percent) return b.nodes;
  const int64_t scaled = int64_t{b.nodes} * total_nodes;
  return CeilDiv(scaled, 100);
}

bool BudgetAppliesTo(const model::Budget& b, model::DisruptionReason reason) {
  return b.reasons.empty() || std::find(b.reasons.begin(), b.reasons.end(), reason) != b.reasons.end();
}

BudgetEvaluation EvaluateBudgets(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                                 int32_t total_nodes, int32_t disrupting_nodes) {
  ADZE_DCHECK(total_nodes >= 0 && disrupting_nodes >= 0);
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  BudgetEvaluation e;
  e.limit = kMax;
  std::string why = "no active budget applies to " + std::string(model::DisruptionReasonName(reason));
  for (size_t i = 0; i < pool.budgets.size(); ++i) {
    const model::Budget& b = pool.budgets[i];
    if (!BudgetAppliesTo(b, reason)) continue;
    Result<bool> active = BudgetIsActive(b, now);
    int64_t value = 0;
    std::string reason_text;
    if (!active.ok()) {
      value = 0;  // fail closed
      reason_text = "malformed, allows 0: " + active.error().message;
    } else if (!*active) {
      continue;
    } else {
      value = BudgetNodeLimit(b, total_nodes);
      reason_text = "allows " + std::to_string(value) + " of " + std::to_string(total_nodes) + " nodes";
    }
    if (!e.binding || value < e.limit) {
      e.limit = std::min(value, kMax);
      e.binding = i;
      why = "budget[" + std::to_string(i) + "] (" + Describe(b) + ") " + reason_text;
    }
  }
  e.allowed = static_cast<int32_t>(std::clamp<int64_t>(e.limit - disrupting_nodes, 0, kMax));
  e.detail = why + "; " + std::to_string(disrupting_nodes) + " disrupting -> " + std::to_string(e.allowed) +
             " allowed";
  return e;
}

int32_t AllowedDisruptions(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                           int32_t total_nodes, int32_t disrupting_nodes) {
  return EvaluateBudgets(pool, reason, now, total_nodes, disrupting_nodes).allowed;
}

}  // namespace adze::controllers::disruption
