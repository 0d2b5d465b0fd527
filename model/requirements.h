// Requirements: a conjunction of Requirement, one per key (adding a second
// requirement on a key intersects it with the first). The node side (a pool
// template, an instance type, a node's labels) and the pod side (nodeSelector
// plus a node-affinity term) are both Requirements; spec §2.6 defines how
// they meet.
// Thread-safety: value type.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/labels.h"
#include "model/requirement.h"

namespace adze::model {

class Requirements {
 public:
  Requirements() = default;
  explicit Requirements(std::vector<Requirement> reqs);
  // One In{value} requirement per label.
  static Requirements FromLabels(const Labels& labels);

  // Intersects r into the requirement already held for its key, or adds it.
  void Add(const Requirement& r);
  void Add(const Requirements& rs);

  bool Has(std::string_view key) const;
  // The requirement on key; a missing key reads as Exists.
  Requirement Get(std::string_view key) const;
  const Requirement* Find(std::string_view key) const;
  // In key order.
  std::vector<Requirement> All() const;
  std::vector<std::string> Keys() const;
  size_t size() const { return reqs_.size(); }
  bool empty() const { return reqs_.empty(); }

  // nullopt when every shared key intersects (spec §2.6 Intersects),
  // otherwise a message naming the first conflicting key and both sides.
  std::optional<std::string> Intersects(const Requirements& other) const;

  // Compatible(node side = *this, pod side = pod): Intersects, and every key
  // the pod constrains must be defined on the node side, unless the pod uses
  // NotIn/DoesNotExist on it or the key is well-known (IsWellKnownLabel).
  // nullopt when compatible, otherwise a message.
  std::optional<std::string> Compatible(const Requirements& pod) const;

  // Labels for keys with exactly one allowed value (what a launched node gets).
  Labels SingleValuedLabels() const;

  std::string ToString() const;
  friend bool operator==(const Requirements& a, const Requirements& b) { return a.reqs_ == b.reqs_; }

 private:
  std::map<std::string, Requirement, std::less<>> reqs_;
};

}  // namespace adze::model
