#include "model/duration.h"

#include <cmath>
#include <cstdint>

namespace adze::model {

Result<Duration> ParseDuration(std::string_view text) {
  auto fail = [&](std::string why) {
    return Error::InvalidArgument("invalid duration \"" + std::string(text) + "\": " + why +
                                  " (expected e.g. 30s, 10m, 1h30m, 720h)");
  };
  std::string_view s = text;
  if (s.empty()) return fail("empty");
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration{0};
  if (s.empty()) return fail("no number");
  __int128 total = 0;
  while (!s.empty()) {
    // number: digits [. digits]
    __int128 whole = 0;
    __int128 frac = 0;
    __int128 frac_scale = 1;
    size_t i = 0;
    bool any = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i] - '0');
      if (whole > (__int128)1 << 80) return fail("overflow");
      any = true;
      ++i;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (frac_scale < 1'000'000'000'000LL) {
          frac = frac * 10 + (s[i] - '0');
          frac_scale *= 10;
        }
        any = true;
        ++i;
      }
    }
    if (!any) return fail("expected a number at \"" + std::string(s) + "\"");
    size_t j = i;
    while (j < s.size() && !(s[j] >= '0' && s[j] <= '9') && s[j] != '.') ++j;
    std::string_view unit = s.substr(i, j - i);
    __int128 unit_ns;
    if (unit == "ns") unit_ns = 1;
    else if (unit == "us" || unit == "µs" || unit == "μs") unit_ns = 1000;
    else if (unit == "ms") unit_ns = 1'000'000;
    else if (unit == "s") unit_ns = 1'000'000'000;
    else if (unit == "m") unit_ns = 60'000'000'000LL;
    else if (unit == "h") unit_ns = 3'600'000'000'000LL;
    else if (unit.empty()) return fail("missing unit");
    else return fail("unknown unit \"" + std::string(unit) + "\"");
    total += whole * unit_ns + frac * unit_ns / frac_scale;
    if (total > (__int128)INT64_MAX) return fail("overflow");
    s.remove_prefix(j);
  }
  Duration us = static_cast<Duration>(total / 1000);
  return negative ? -us : us;
}

Duration SaturatingSeconds(double seconds) {
  const double micros = seconds * static_cast<double>(kSecond);
  if (!(micros < static_cast<double>(kMaxDerivedSpan))) return kMaxDerivedSpan;  // also NaN
  if (!(micros > 0)) return 0;
  return static_cast<Duration>(std::llround(micros));
}

namespace {

// "1" + "." + the fraction's digits without trailing zeros; digits is the
// fraction's width (3 for milliseconds of a second).
std::string WithFraction(uint64_t whole, uint64_t frac, int digits) {
  std::string out = std::to_string(whole);
  if (frac == 0) return out;
  std::string f = std::to_string(frac);
  f.insert(0, static_cast<size_t>(digits) - f.size(), '0');
  while (f.back() == '0') f.pop_back();
  return out + "." + f;
}

}  // namespace

std::string FormatDuration(Duration d) {
  if (d == 0) return "0s";
  std::string sign = d < 0 ? "-" : "";
  // Unsigned magnitude: -INT64_MIN does not fit in int64.
  uint64_t u = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  constexpr uint64_t kUs = 1, kMs = kMillisecond, kS = kSecond, kM = kMinute, kH = kHour;
  if (u < kMs) return sign + std::to_string(u / kUs) + "us";
  // Below a second Go prints fractional milliseconds: 1500us -> "1.5ms".
  if (u < kS) return sign + WithFraction(u / kMs, u % kMs, 3) + "ms";
  std::string out;
  uint64_t h = u / kH;
  uint64_t m = (u % kH) / kM;
  uint64_t rest = u % kM;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (rest) out += WithFraction(rest / kS, rest % kS, 6) + "s";
  return sign + out;
}

}  // namespace adze::model
