#include "model/label_selector.h"

#include <algorithm>

namespace adze::model {

bool LabelSelector::Matches(const Labels& labels) const {
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& e : match_expressions) {
    auto it = labels.find(e.key);
    bool has = it != labels.end();
    bool in = has && std::find(e.values.begin(), e.values.end(), it->second) != e.values.end();
    switch (e.op) {
      case LabelSelectorRequirement::Op::kIn:
        if (!in) return false;
        break;
      case LabelSelectorRequirement::Op::kNotIn:
        if (in) return false;
        break;
      case LabelSelectorRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelSelectorRequirement::Op::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

}  // namespace adze::model
