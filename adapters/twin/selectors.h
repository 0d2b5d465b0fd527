// Label and field selectors as list and watch requests carry them
// (?labelSelector=app=web,tier!=db,env in (a,b),!legacy and
// ?fieldSelector=spec.nodeName=n1,status.phase!=Succeeded), and
// metav1.LabelSelector objects (PDBs, Deployments).
// Thread-safety: value types.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/result.h"

namespace adze::twin {

class Selector {
 public:
  // Parses the query-string form. Fields: dotted paths into the object.
  static Result<Selector> Parse(const std::string& text);
  // True when every term holds. For label selectors, pass metadata.labels;
  // for field selectors, the whole object (fields are dotted paths).
  bool Matches(const nlohmann::json& labels) const;
  bool MatchesFields(const nlohmann::json& object) const;
  bool empty() const { return terms_.empty(); }

 private:
  friend Selector LabelSelectorFromJson(const nlohmann::json& selector);
  struct Term {
    enum class Op { kEq, kNotEq, kIn, kNotIn, kExists, kNotExists };
    std::string key;
    Op op = Op::kEq;
    std::vector<std::string> values;
  };
  static bool Holds(const Term& t, const std::string* value);
  std::vector<Term> terms_;
};

// metav1.LabelSelector {matchLabels, matchExpressions}. An empty selector
// matches everything.
Selector LabelSelectorFromJson(const nlohmann::json& selector);

}  // namespace adze::twin
