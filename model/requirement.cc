#include "model/requirement.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <limits>

namespace adze::model {
namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Under bounds a value is an integer in its canonical spelling ("5", "-3";
// not "05", "+5" or "-0"), so that each integer is one value and Has, Size
// and IsEmpty agree.
std::optional<int64_t> ParseBoundedValue(std::string_view s) {
  std::optional<int64_t> n = ParseInt(s);
  if (!n || std::to_string(*n) != s) return std::nullopt;
  return n;
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

bool Contains(const std::vector<std::string>& sorted, std::string_view v) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), v);
  return it != sorted.end() && *it == v;
}

}  // namespace

std::string_view OperatorName(Operator op) {
  switch (op) {
    case Operator::kIn: return "In";
    case Operator::kNotIn: return "NotIn";
    case Operator::kExists: return "Exists";
    case Operator::kDoesNotExist: return "DoesNotExist";
    case Operator::kGt: return "Gt";
    case Operator::kLt: return "Lt";
    case Operator::kGte: return "Gte";
    case Operator::kLte: return "Lte";
  }
  return "?";
}

std::optional<Operator> ParseOperator(std::string_view name) {
  for (Operator op : {Operator::kIn, Operator::kNotIn, Operator::kExists, Operator::kDoesNotExist, Operator::kGt,
                      Operator::kLt, Operator::kGte, Operator::kLte}) {
    if (OperatorName(op) == name) return op;
  }
  return std::nullopt;
}

Requirement::Requirement(std::string key, Operator op, std::vector<std::string> values,
                         std::optional<int> min_values)
    : key_(std::move(key)), min_values_(min_values) {
  switch (op) {
    case Operator::kIn:
      values_ = std::move(values);
      break;
    case Operator::kNotIn:
      complement_ = true;
      values_ = std::move(values);
      break;
    case Operator::kExists:
      complement_ = true;
      break;
    case Operator::kDoesNotExist:
      break;
    case Operator::kGt:
    case Operator::kLt:
    case Operator::kGte:
    case Operator::kLte: {
      std::optional<int64_t> n = values.size() == 1 ? ParseInt(values[0]) : std::nullopt;
      if (!n) break;  // invalid bound: the empty set (the decoder rejects these first)
      // Gt INT64_MAX and Lt INT64_MIN admit no int64: the empty set.
      if (op == Operator::kGt && *n == std::numeric_limits<int64_t>::max()) break;
      if (op == Operator::kLt && *n == std::numeric_limits<int64_t>::min()) break;
      complement_ = true;
      if (op == Operator::kGt) lower_ = *n + 1;
      if (op == Operator::kGte) lower_ = *n;
      if (op == Operator::kLt) upper_ = *n - 1;
      if (op == Operator::kLte) upper_ = *n;
      break;
    }
  }
  SortUnique(values_);
  Normalise();
}

void Requirement::Normalise() {
  if (!lower_ && !upper_) return;
  if (complement_) {
    if (lower_ && upper_ && *lower_ > *upper_) {
      complement_ = false;
      values_.clear();
      lower_.reset();
      upper_.reset();
    }
    return;
  }
  // A finite set under bounds: keep the integers inside them, drop the bounds.
  std::erase_if(values_, [&](const std::string& v) {
    std::optional<int64_t> n = ParseBoundedValue(v);
    return !n || (lower_ && *n < *lower_) || (upper_ && *n > *upper_);
  });
  lower_.reset();
  upper_.reset();
}

Operator Requirement::op() const {
  if (!complement_) return values_.empty() ? Operator::kDoesNotExist : Operator::kIn;
  if (lower_) return Operator::kGt;
  if (upper_) return Operator::kLt;
  return values_.empty() ? Operator::kExists : Operator::kNotIn;
}

bool Requirement::Has(std::string_view value) const {
  if (!complement_) return Contains(values_, value);
  if (Contains(values_, value)) return false;
  if (!lower_ && !upper_) return true;
  std::optional<int64_t> n = ParseBoundedValue(value);
  return n && (!lower_ || *n >= *lower_) && (!upper_ || *n <= *upper_);
}

bool Requirement::IsEmpty() const {
  if (!complement_) return values_.empty();
  std::optional<size_t> n = Size();
  return n && *n == 0;
}

std::optional<size_t> Requirement::Size() const {
  if (!complement_) return values_.size();
  if (!lower_ || !upper_) return std::nullopt;
  // A bounded range: its integers minus the excluded ones inside it.
  __int128 range = static_cast<__int128>(*upper_) - *lower_ + 1;
  // values_ is unique and only canonical spellings count, so each excluded
  // integer is subtracted once ("05" excludes nothing under bounds).
  for (const std::string& v : values_) {
    std::optional<int64_t> n = ParseBoundedValue(v);
    if (n && *n >= *lower_ && *n <= *upper_) --range;
  }
  if (range > static_cast<__int128>(SIZE_MAX)) return std::nullopt;
  return static_cast<size_t>(range);
}

std::optional<std::string> Requirement::Any() const {
  if (!complement_) {
    if (values_.empty()) return std::nullopt;
    return values_.front();
  }
  if (IsEmpty()) return std::nullopt;
  if (lower_ || upper_) {
    // Upward from the lower bound (or from min(0, upper)); the excluded list is
    // finite, so with a lower bound this ends (IsEmpty ruled out a fully
    // excluded closed range). With only an upper bound, search downward too.
    constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
    constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
    int64_t start = lower_ ? *lower_ : std::min<int64_t>(*upper_, 0);
    int64_t stop = upper_ ? *upper_ : kMaxInt;
    for (int64_t n = start;; ++n) {
      std::string s = std::to_string(n);
      if (Has(s)) return s;
      if (n == stop) break;
    }
    if (!lower_) {
      for (int64_t n = start; n > kMinInt;) {
        --n;
        std::string s = std::to_string(n);
        if (Has(s)) return s;
      }
    }
    return std::nullopt;
  }
  // Invent a value the complement allows (Karpenter invents a random one; ours
  // is deterministic).
  for (int i = 0;; ++i) {
    std::string s = "adze-" + std::to_string(i);
    if (!Contains(values_, s)) return s;
  }
}

Requirement Requirement::Intersect(const Requirement& other) const {
  Requirement out;
  out.key_ = key_;
  if (min_values_ || other.min_values_) {
    out.min_values_ = std::max(min_values_.value_or(0), other.min_values_.value_or(0));
  }
  if (complement_ && other.complement_) {
    out.complement_ = true;
    std::set_union(values_.begin(), values_.end(), other.values_.begin(), other.values_.end(),
                   std::back_inserter(out.values_));
    out.lower_ = lower_;
    if (other.lower_ && (!out.lower_ || *other.lower_ > *out.lower_)) out.lower_ = other.lower_;
    out.upper_ = upper_;
    if (other.upper_ && (!out.upper_ || *other.upper_ < *out.upper_)) out.upper_ = other.upper_;
  } else if (complement_ || other.complement_) {
    const Requirement& set = complement_ ? other : *this;
    const Requirement& comp = complement_ ? *this : other;
    for (const std::string& v : set.values_) {
      if (comp.Has(v)) out.values_.push_back(v);
    }
  } else {
    std::set_intersection(values_.begin(), values_.end(), other.values_.begin(), other.values_.end(),
                          std::back_inserter(out.values_));
  }
  out.Normalise();
  return out;
}

bool Requirement::Intersects(const Requirement& other) const {
  auto negative = [](const Requirement& r) {
    Operator op = r.op();
    return op == Operator::kNotIn || op == Operator::kDoesNotExist;
  };
  if (negative(*this) && negative(other)) return true;
  // Allocation-free paths for the common shapes; the general case intersects.
  if (!complement_ && !other.complement_) {
    auto a = values_.begin();
    auto b = other.values_.begin();
    while (a != values_.end() && b != other.values_.end()) {
      int c = a->compare(*b);
      if (c == 0) return true;
      if (c < 0) ++a; else ++b;
    }
    return false;
  }
  if (!complement_ || !other.complement_) {
    const Requirement& set = complement_ ? other : *this;
    const Requirement& comp = complement_ ? *this : other;
    for (const std::string& v : set.values_) {
      if (comp.Has(v)) return true;
    }
    return false;
  }
  if (!lower_ && !upper_ && !other.lower_ && !other.upper_) return true;
  return !Intersect(other).IsEmpty();
}

std::string Requirement::ToString() const {
  std::string s = key_ + " ";
  auto list = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
    return out + "]";
  };
  if (!complement_) {
    s += values_.empty() ? "DoesNotExist" : "In " + list(values_);
  } else {
    std::vector<std::string> parts;
    // Gte/Lte only where Gt/Lt would overflow.
    if (lower_) {
      parts.push_back(*lower_ == std::numeric_limits<int64_t>::min() ? "Gte " + std::to_string(*lower_)
                                                                       : "Gt " + std::to_string(*lower_ - 1));
    }
    if (upper_) {
      parts.push_back(*upper_ == std::numeric_limits<int64_t>::max() ? "Lte " + std::to_string(*upper_)
                                                                       : "Lt " + std::to_string(*upper_ + 1));
    }
    if (!values_.empty()) parts.push_back("NotIn " + list(values_));
    if (parts.empty()) parts.push_back("Exists");
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
  }
  if (min_values_) s += " (minValues " + std::to_string(*min_values_) + ")";
  return s;
}

bool operator==(const Requirement& a, const Requirement& b) {
  return a.key_ == b.key_ && a.complement_ == b.complement_ && a.values_ == b.values_ && a.lower_ == b.lower_ &&
         a.upper_ == b.upper_ && a.min_values_ == b.min_values_;
}

}  // namespace adze::model
