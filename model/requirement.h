// Requirement: the set of values a label key may take, Karpenter's algebra
// (spec §2.6). A requirement is a finite set of allowed values, or the
// complement of a finite set of excluded values, optionally narrowed by
// integer bounds (Gt n == ">= n+1", Lt n == "<= n-1"), plus an optional
// minValues (how many distinct values the launch must keep open).
//
//   In{a,b}      -> set {a,b}
//   NotIn{a,b}   -> complement of {a,b}
//   Exists       -> complement of {}
//   DoesNotExist -> set {}
//   Gt 3         -> complement of {} with lower bound 4
//
// Bounds only ever hold on complement form: intersecting bounds with a finite
// set filters the set and drops the bounds. Values under bounds must be
// integers in canonical spelling ("5", "-3"; "05" and "+5" are not allowed).
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace adze::model {

enum class Operator { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt, kGte, kLte };

std::string_view OperatorName(Operator op);
// Parses "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte" (exact case).
std::optional<Operator> ParseOperator(std::string_view name);

class Requirement {
 public:
  // REQUIRES: values valid for op (Gt/Lt/Gte/Lte: exactly one integer; In: any
  // number, including none; Exists/DoesNotExist: none). Validation of user
  // input belongs to the manifest decoder, not here.
  Requirement(std::string key, Operator op, std::vector<std::string> values,
              std::optional<int> min_values = std::nullopt);

  static Requirement In(std::string key, std::vector<std::string> values) {
    return Requirement(std::move(key), Operator::kIn, std::move(values));
  }
  static Requirement NotIn(std::string key, std::vector<std::string> values) {
    return Requirement(std::move(key), Operator::kNotIn, std::move(values));
  }
  static Requirement Exists(std::string key) { return Requirement(std::move(key), Operator::kExists, {}); }
  static Requirement DoesNotExist(std::string key) {
    return Requirement(std::move(key), Operator::kDoesNotExist, {});
  }

  const std::string& key() const { return key_; }
  bool complement() const { return complement_; }
  // Sorted, unique. For a complement: the excluded values.
  const std::vector<std::string>& values() const { return values_; }
  std::optional<int64_t> lower_bound() const { return lower_; }  // inclusive
  std::optional<int64_t> upper_bound() const { return upper_; }  // inclusive
  std::optional<int> min_values() const { return min_values_; }
  void set_min_values(std::optional<int> m) { min_values_ = m; }

  // The operator that best describes this set (In, NotIn, Exists,
  // DoesNotExist, Gt, Lt; Gte/Lte are normalised to Gt/Lt).
  Operator op() const;

  // True when value is in the allowed set.
  bool Has(std::string_view value) const;
  // True when no value is allowed.
  bool IsEmpty() const;
  // Number of allowed values; nullopt when unbounded (complement form).
  std::optional<size_t> Size() const;
  // One allowed value, deterministic (smallest of a finite set; for a
  // complement, the lower bound or a generated value). nullopt when empty.
  std::optional<std::string> Any() const;

  // Set intersection (spec §2.6). Keys must match. minValues = max of both.
  Requirement Intersect(const Requirement& other) const;
  // True when the intersection is non-empty, except that NotIn/DoesNotExist
  // against NotIn/DoesNotExist never conflicts.
  bool Intersects(const Requirement& other) const;

  // "key In [a b]" style, for messages.
  std::string ToString() const;

  friend bool operator==(const Requirement& a, const Requirement& b);

 private:
  Requirement() = default;
  void Normalise();  // applies bounds to finite sets, detects empty ranges

  std::string key_;
  bool complement_ = false;
  std::vector<std::string> values_;
  std::optional<int64_t> lower_;
  std::optional<int64_t> upper_;
  std::optional<int> min_values_;
};

}  // namespace adze::model
