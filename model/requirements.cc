#include "model/requirements.h"

namespace adze::model {

Requirements::Requirements(std::vector<Requirement> reqs) {
  for (const Requirement& r : reqs) Add(r);
}

Requirements Requirements::FromLabels(const Labels& labels) {
  // Labels are unique and in key order: each requirement goes at the end,
  // built once (the solver does this for every node of every pass).
  Requirements out;
  for (const auto& [k, v] : labels) out.reqs_.emplace_hint(out.reqs_.end(), k, Requirement::In(k, {v}));
  return out;
}

void Requirements::Add(const Requirement& r) {
  auto it = reqs_.find(r.key());
  if (it == reqs_.end()) {
    reqs_.emplace(r.key(), r);
  } else {
    it->second = it->second.Intersect(r);
  }
}

void Requirements::Add(const Requirements& rs) {
  for (const auto& [k, r] : rs.reqs_) Add(r);
}

bool Requirements::Has(std::string_view key) const { return reqs_.find(key) != reqs_.end(); }

Requirement Requirements::Get(std::string_view key) const {
  auto it = reqs_.find(key);
  return it == reqs_.end() ? Requirement::Exists(std::string(key)) : it->second;
}

const Requirement* Requirements::Find(std::string_view key) const {
  auto it = reqs_.find(key);
  return it == reqs_.end() ? nullptr : &it->second;
}

std::vector<Requirement> Requirements::All() const {
  std::vector<Requirement> out;
  out.reserve(reqs_.size());
  for (const auto& [k, r] : reqs_) out.push_back(r);
  return out;
}

std::vector<std::string> Requirements::Keys() const {
  std::vector<std::string> out;
  out.reserve(reqs_.size());
  for (const auto& [k, r] : reqs_) out.push_back(k);
  return out;
}

std::optional<std::string> Requirements::Intersects(const Requirements& other) const {
  // Walk the smaller map and look keys up in the larger one.
  const Requirements& small = reqs_.size() <= other.reqs_.size() ? *this : other;
  const Requirements& large = &small == this ? other : *this;
  for (const auto& [key, r] : small.reqs_) {
    auto it = large.reqs_.find(key);
    if (it == large.reqs_.end()) continue;
    if (!r.Intersects(it->second)) {
      const Requirement& mine = &small == this ? r : it->second;
      const Requirement& theirs = &small == this ? it->second : r;
      return "requirement " + theirs.ToString() + " conflicts with " + mine.ToString();
    }
  }
  return std::nullopt;
}

std::optional<std::string> Requirements::Compatible(const Requirements& pod) const {
  for (const auto& [key, r] : pod.reqs_) {
    if (Has(key)) continue;
    Operator op = r.op();
    if (op == Operator::kNotIn || op == Operator::kDoesNotExist) continue;
    if (IsWellKnownLabel(key)) continue;
    return "label \"" + key + "\" (" + r.ToString() + ") is not defined by the node's labels or requirements";
  }
  return Intersects(pod);
}

Labels Requirements::SingleValuedLabels() const {
  Labels out;
  for (const auto& [key, r] : reqs_) {
    // A bounded range can also allow exactly one value (Gte 4, Lte 4).
    std::optional<size_t> n = r.Size();
    if (n && *n == 1) {
      std::optional<std::string> v = r.Any();
      if (v) out.emplace(key, *v);
    }
  }
  return out;
}

std::string Requirements::ToString() const {
  std::string out;
  for (const auto& [key, r] : reqs_) {
    if (!out.empty()) out += ", ";
    out += r.ToString();
  }
  return out;
}

}  // namespace adze::model
