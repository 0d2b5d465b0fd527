// Quantity: a Kubernetes resource.Quantity held exactly as a count of
// milli-units in a signed 64-bit integer (never floating point).
//
// Accepts the three forms Kubernetes accepts: decimal SI suffixes (n u m "" k
// M G T P E), binary SI suffixes (Ki Mi Gi Ti Pi Ei) and decimal exponents
// (1e3, 5E-3). Fractions finer than one milli-unit round up, as Kubernetes
// does. The largest magnitude is 2^63-1 milli-units (about 8 PiB of bytes);
// larger inputs are rejected as overflow. Arithmetic saturates at that bound
// (both signs: the most negative value is -(2^63-1)).
//
// ToString() gives the canonical form Kubernetes prints: the suffix family of
// the parsed input, the largest suffix that keeps an integer mantissa, and
// milli-units when the value is fractional ("1.5" -> "1500m", "1.5Gi" ->
// "1536Mi", "2e3" -> "2e3").
// Thread-safety: value type.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.h"

namespace adze::model {

class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  constexpr Quantity() = default;

  // Parses a Kubernetes quantity string. Errors name what was wrong.
  static Result<Quantity> Parse(std::string_view text);

  static constexpr Quantity FromMilli(int64_t milli, Format f = Format::kDecimalSI) {
    return Quantity(milli, f);
  }
  // REQUIRES: |units| * 1000 fits in int64 (saturates otherwise).
  static Quantity FromUnits(int64_t units, Format f = Format::kDecimalSI);
  static Quantity Bytes(int64_t bytes) { return FromUnits(bytes, Format::kBinarySI); }
  static Quantity MiB(int64_t mib) { return FromUnits(mib * 1024 * 1024, Format::kBinarySI); }

  int64_t milli() const { return milli_; }
  // Whole units, rounded away from zero as Kubernetes' Value() does
  // ("1500m" -> 2, "-1500m" -> -2).
  int64_t Value() const;
  Format format() const { return format_; }
  bool IsZero() const { return milli_ == 0; }

  std::string ToString() const;

  Quantity operator+(Quantity o) const;
  Quantity operator-(Quantity o) const;
  Quantity& operator+=(Quantity o) { return *this = *this + o; }
  Quantity& operator-=(Quantity o) { return *this = *this - o; }
  // Multiplies by an integer count, saturating.
  Quantity Times(int64_t n) const;

  friend bool operator==(Quantity a, Quantity b) { return a.milli_ == b.milli_; }
  friend std::strong_ordering operator<=>(Quantity a, Quantity b) { return a.milli_ <=> b.milli_; }

 private:
  constexpr Quantity(int64_t milli, Format f) : milli_(milli), format_(f) {}

  int64_t milli_ = 0;
  Format format_ = Format::kDecimalSI;
};

}  // namespace adze::model
