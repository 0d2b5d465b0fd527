#include "model/quantity.h"

#include <algorithm>
#include <array>
#include <limits>

namespace adze::model {
namespace {

using Int128 = __int128;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
// Symmetric: the most negative quantity is -(2^63-1), so every result of
// arithmetic prints as a string Parse accepts.
constexpr int64_t kMin = -kMax;

int64_t Saturate(Int128 v) {
  if (v > kMax) return kMax;
  if (v < kMin) return kMin;
  return static_cast<int64_t>(v);
}

Int128 Pow(Int128 base, int exp) {
  Int128 r = 1;
  while (exp-- > 0) r *= base;
  return r;
}

struct Suffix {
  std::string_view text;
  int base;      // 10 or 2
  int exponent;  // power of ten, or power of two
};

// Longest suffixes first so "Ki" is not read as "K".
constexpr std::array<Suffix, 14> kSuffixes = {{
    {"Ki", 2, 10}, {"Mi", 2, 20}, {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50}, {"Ei", 2, 60},
    {"n", 10, -9}, {"u", 10, -6}, {"m", 10, -3}, {"k", 10, 3}, {"M", 10, 6}, {"G", 10, 9},
    {"T", 10, 12}, {"P", 10, 15},
}};
// "E" is handled apart: it is both the exa suffix and, followed by digits, an exponent.

std::string Int128ToString(Int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

Error ParseError(std::string_view text, std::string_view why) {
  return Error::InvalidArgument("invalid quantity \"" + std::string(text) + "\": " + std::string(why) +
                                " (expected a number with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
}

}  // namespace

Result<Quantity> Quantity::Parse(std::string_view text) {
  std::string_view s = text;
  if (s.empty()) return ParseError(text, "empty");
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // Mantissa: digits [. digits]
  Int128 numerator = 0;
  int frac_digits = 0;
  int digits = 0;
  bool seen_dot = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seen_dot) return ParseError(text, "more than one decimal point");
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (digits >= 30) return ParseError(text, "too many digits");
    numerator = numerator * 10 + (c - '0');
    if (numerator != 0 || seen_dot) ++digits;  // leading zeros are free
    if (seen_dot) ++frac_digits;
  }
  if (i == 0 || (seen_dot && i == 1)) return ParseError(text, "no digits");
  std::string_view suffix = s.substr(i);

  Format format = Format::kDecimalSI;
  int base = 10;
  int exponent = 0;
  bool found = false;
  // Suffixes first: "Ei" starts with 'E' but is the exbi suffix, not an exponent.
  for (const Suffix& x : kSuffixes) {
    if (suffix == x.text) {
      base = x.base;
      exponent = x.exponent;
      format = base == 2 ? Format::kBinarySI : Format::kDecimalSI;
      found = true;
      break;
    }
  }
  if (found || suffix.empty()) {
  } else if (suffix == "E") {
    exponent = 18;
  } else if ((suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() > 1) {
    // Decimal exponent: e[+-]digits
    std::string_view e = suffix.substr(1);
    bool eneg = false;
    if (e[0] == '+' || e[0] == '-') {
      eneg = e[0] == '-';
      e.remove_prefix(1);
    }
    if (e.empty() || e.size() > 3) return ParseError(text, "malformed exponent \"" + std::string(suffix) + "\"");
    for (char c : e) {
      if (c < '0' || c > '9') return ParseError(text, "malformed exponent \"" + std::string(suffix) + "\"");
      exponent = exponent * 10 + (c - '0');
    }
    if (eneg) exponent = -exponent;
    format = Format::kDecimalExponent;
  } else {
    return ParseError(text, "unknown suffix \"" + std::string(suffix) + "\"");
  }

  // milli-units = ceil(numerator * 2^bin_exp * 10^dec_exp), computed exactly
  // without overflowing 128 bits: numerator < 10^30, and every product below
  // is bounded before it is formed.
  if (numerator == 0) return Quantity(0, format);
  int bin_exp = base == 2 ? exponent : 0;
  int dec_exp = 3 + (base == 10 ? exponent : 0) - frac_digits;
  const Int128 limit = static_cast<Int128>(kMax);
  auto overflow = [&] { return ParseError(text, "overflow: larger than 2^63-1 milli-units"); };
  Int128 milli = 0;
  if (dec_exp >= 0) {
    // numerator >= 1, so 10^19 or more milli-units cannot fit.
    if (dec_exp > 18) return overflow();
    Int128 mult = Pow(10, dec_exp);
    if (numerator > limit / mult) return overflow();
    milli = numerator * mult;
    for (int k = 0; k < bin_exp; ++k) {
      milli *= 2;
      if (milli > limit) return overflow();
    }
  } else if (-dec_exp > 36) {
    // Only reachable without a binary suffix (frac_digits <= 30 and binary
    // suffixes carry no decimal exponent); numerator < 10^30 < 10^36 < den.
    milli = 1;
  } else {
    // Cancel common factors of two between 2^bin_exp and 10^-dec_exp so that
    // r * mult below stays within 128 bits.
    int cancel = std::min(bin_exp, -dec_exp);
    Int128 mult = Pow(2, bin_exp - cancel);
    Int128 den = Pow(10, -dec_exp) / Pow(2, cancel);
    Int128 q = numerator / den;
    Int128 r = numerator % den;
    if (q > 0 && q > limit / mult) return overflow();
    milli = q * mult + (r * mult + den - 1) / den;
  }
  if (milli > limit) return overflow();
  int64_t m = static_cast<int64_t>(milli);
  return Quantity(negative ? -m : m, format);
}

Quantity Quantity::FromUnits(int64_t units, Format f) {
  return Quantity(Saturate(static_cast<Int128>(units) * 1000), f);
}

int64_t Quantity::Value() const {
  if (milli_ >= 0) return static_cast<int64_t>((static_cast<Int128>(milli_) + 999) / 1000);
  // Kubernetes rounds away from zero: -1500m -> -2.
  return static_cast<int64_t>((static_cast<Int128>(milli_) - 999) / 1000);
}

// As Kubernetes' Add/Sub: a zero left side takes the right side's format, so
// summing into an empty list keeps "1Gi" binary.
Quantity Quantity::operator+(Quantity o) const {
  return Quantity(Saturate(static_cast<Int128>(milli_) + o.milli_), milli_ == 0 ? o.format_ : format_);
}

Quantity Quantity::operator-(Quantity o) const {
  return Quantity(Saturate(static_cast<Int128>(milli_) - o.milli_), milli_ == 0 ? o.format_ : format_);
}

Quantity Quantity::Times(int64_t n) const {
  return Quantity(Saturate(static_cast<Int128>(milli_) * n), format_);
}

std::string Quantity::ToString() const {
  if (milli_ == 0) return "0";
  Int128 v = milli_;
  bool negative = v < 0;
  if (negative) v = -v;
  std::string sign = negative ? "-" : "";
  bool whole = v % 1000 == 0;

  if (format_ == Format::kBinarySI && whole) {
    Int128 units = v / 1000;
    static constexpr std::array<std::string_view, 7> kBin = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int k = 0;
    while (k < 6 && units % 1024 == 0 && units >= 1024) {
      units /= 1024;
      ++k;
    }
    // Kubernetes keeps binary form for whole values of magnitude >= 1024, even
    // when no binary suffix divides them ("2000", not "2k").
    if (k > 0 || v >= 1024 * 1000) return sign + Int128ToString(units) + std::string(kBin[k]);
    // Below 1024: Kubernetes prints it in decimal form ("512", "1k").
  }
  // Decimal forms: pick the largest power of 1000 (from milli up) dividing v.
  int e3 = -1;  // v is in milli-units, i.e. 10^-3
  while (e3 < 6 && v % 1000 == 0) {
    v /= 1000;
    ++e3;
  }
  if (format_ == Format::kDecimalExponent) {
    if (e3 == 0) return sign + Int128ToString(v);
    return sign + Int128ToString(v) + "e" + std::to_string(e3 * 3);
  }
  static constexpr std::array<std::string_view, 8> kDec = {"m", "", "k", "M", "G", "T", "P", "E"};
  return sign + Int128ToString(v) + std::string(kDec[e3 + 1]);
}

}  // namespace adze::model
