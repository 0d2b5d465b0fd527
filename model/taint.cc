#include "model/taint.h"

namespace adze::model {

std::string_view TaintEffectName(TaintEffect e) {
  switch (e) {
    case TaintEffect::kNoSchedule: return "NoSchedule";
    case TaintEffect::kPreferNoSchedule: return "PreferNoSchedule";
    case TaintEffect::kNoExecute: return "NoExecute";
  }
  return "?";
}

std::optional<TaintEffect> ParseTaintEffect(std::string_view s) {
  if (s == "NoSchedule") return TaintEffect::kNoSchedule;
  if (s == "PreferNoSchedule") return TaintEffect::kPreferNoSchedule;
  if (s == "NoExecute") return TaintEffect::kNoExecute;
  return std::nullopt;
}

std::string Taint::ToString() const {
  std::string s = key;
  if (!value.empty()) s += "=" + value;
  return s + ":" + std::string(TaintEffectName(effect));
}

bool Toleration::Tolerates(const Taint& taint) const {
  if (effect && *effect != taint.effect) return false;
  if (key.empty()) return op == Op::kExists;  // empty key + Exists matches all taints
  if (key != taint.key) return false;
  return op == Op::kExists || value == taint.value;
}

std::optional<Taint> FirstUntolerated(const std::vector<Taint>& taints,
                                      const std::vector<Toleration>& tolerations, bool include_prefer) {
  for (const Taint& t : taints) {
    if (t.effect == TaintEffect::kPreferNoSchedule && !include_prefer) continue;
    bool tolerated = false;
    for (const Toleration& tol : tolerations) {
      if (tol.Tolerates(t)) {
        tolerated = true;
        break;
      }
    }
    if (!tolerated) return t;
  }
  return std::nullopt;
}

}  // namespace adze::model
