// Taints and tolerations (Kubernetes core/v1 semantics).
// Thread-safety: value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace adze::model {

enum class TaintEffect { kNoSchedule, kPreferNoSchedule, kNoExecute };

std::string_view TaintEffectName(TaintEffect e);
std::optional<TaintEffect> ParseTaintEffect(std::string_view s);

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::kNoSchedule;

  std::string ToString() const;  // key=value:Effect
  friend bool operator==(const Taint&, const Taint&) = default;
};

struct Toleration {
  enum class Op { kEqual, kExists };
  std::string key;  // empty with kExists: tolerates every key
  Op op = Op::kEqual;
  std::string value;
  std::optional<TaintEffect> effect;  // nullopt: every effect
  std::optional<int64_t> toleration_seconds;

  // True when this toleration tolerates the taint.
  bool Tolerates(const Taint& taint) const;
  friend bool operator==(const Toleration&, const Toleration&) = default;
};

// Returns the first taint (of effect NoSchedule or NoExecute, and also
// PreferNoSchedule when include_prefer) that no toleration tolerates.
std::optional<Taint> FirstUntolerated(const std::vector<Taint>& taints,
                                      const std::vector<Toleration>& tolerations,
                                      bool include_prefer = false);

}  // namespace adze::model
