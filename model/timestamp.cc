#include "model/timestamp.h"

#include <chrono>
#include <string>

namespace adze::model {
namespace {

// Reads exactly n digits at text[*pos]; -1 when they are not all digits.
int Digits(std::string_view text, size_t* pos, size_t n) {
  if (*pos + n > text.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  return v;
}

bool Expect(std::string_view text, size_t* pos, std::string_view chars) {
  if (*pos >= text.size() || chars.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

}  // namespace

Result<Duration> ParseTimestamp(std::string_view text) {
  auto bad = [&](std::string_view what) {
    return Error::InvalidArgument("timestamp \"" + std::string(text) + "\": " + std::string(what) +
                                  " (expected RFC 3339, e.g. 2024-05-01T12:00:00Z)");
  };
  size_t pos = 0;
  const int year = Digits(text, &pos, 4);
  if (year < 0 || !Expect(text, &pos, "-")) return bad("bad year");
  const int month = Digits(text, &pos, 2);
  if (month < 1 || month > 12 || !Expect(text, &pos, "-")) return bad("bad month");
  const int day = Digits(text, &pos, 2);
  if (day < 1 || !Expect(text, &pos, "Tt ")) return bad("bad day");
  const int hour = Digits(text, &pos, 2);
  if (hour < 0 || hour > 23 || !Expect(text, &pos, ":")) return bad("bad hour");
  const int minute = Digits(text, &pos, 2);
  if (minute < 0 || minute > 59 || !Expect(text, &pos, ":")) return bad("bad minute");
  const int second = Digits(text, &pos, 2);
  if (second < 0 || second > 60) return bad("bad second");  // 60: a leap second
  Duration micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      // Finer than a microsecond is dropped: SimTime's unit.
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
    }
    if (digits == 0) return bad("empty fraction of a second");
    for (; digits < 6; ++digits) micros *= 10;
  }
  Duration offset = 0;
  if (Expect(text, &pos, "Zz")) {
    // UTC.
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    const int oh = Digits(text, &pos, 2);
    if (oh < 0 || oh > 23 || !Expect(text, &pos, ":")) return bad("bad offset");
    const int om = Digits(text, &pos, 2);
    if (om < 0 || om > 59) return bad("bad offset");
    offset = sign * (oh * kHour + om * kMinute);
  } else {
    return bad("missing time zone ('Z' or an offset)");
  }
  if (pos != text.size()) return bad("trailing characters");
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return bad("no such day");
  const int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  // A local time with offset +02:00 is two hours ahead of UTC.
  return days * 24 * kHour + hour * kHour + minute * kMinute + second * kSecond + micros - offset;
}

}  // namespace adze::model
