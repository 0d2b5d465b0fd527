// Decoders for the Kubernetes building blocks several kinds share:
// metadata, label selectors, taints, tolerations and node-selector
// requirements. Each reads one YamlField, validates it as the API server (or
// Karpenter's webhook) would, and throws DecodeError at the offending field.
// Thread-safety: pure functions over the fields they are given.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/codec/yaml_field.h"
#include "model/label_selector.h"
#include "model/object_meta.h"
#include "model/requirement.h"
#include "model/requirements.h"
#include "model/taint.h"

namespace adze::codec {

enum class MetaScope {
  kNamespaced,  // name required; namespace defaults to "default"
  kCluster,     // name required; namespace ignored
  kTemplate,    // pod template metadata: nothing required
};

// metadata: name (or generateName), namespace, uid, labels, annotations,
// ownerReferences (the controller reference, else the first), deletionTimestamp.
model::ObjectMeta DecodeObjectMeta(const YamlField& metadata, MetaScope scope);

// metav1.LabelSelector: matchLabels and matchExpressions.
model::LabelSelector DecodeLabelSelector(const YamlField& selector);

// {key, value, effect}; effect is required.
model::Taint DecodeTaint(const YamlField& taint);

// {key, operator Equal|Exists, value, effect, tolerationSeconds}.
model::Toleration DecodeToleration(const YamlField& toleration);

// An IntOrString holding a count or a percentage: 3, "3", "25%".
struct IntOrPercent {
  int32_t value = 0;
  bool percent = false;
};

// nullopt when absent. Counts are non-negative integers; percentages are
// whole numbers from 0% to 100%.
std::optional<IntOrPercent> DecodeIntOrPercent(const YamlField& f);

// Which schema a {key, operator, values} requirement follows.
enum class RequirementSchema {
  // core/v1 NodeSelectorRequirement (pod node affinity): In, NotIn, Exists,
  // DoesNotExist, Gt, Lt; In/NotIn need values; Gt/Lt one integer.
  kNodeSelector,
  // karpenter.sh/v1 NodePool requirement: adds Gte, Lte and minValues (1-50,
  // at most the number of In values); In needs values; Gt/Lt/Gte/Lte one
  // non-negative integer; keys in restricted label domains are rejected.
  kNodePool,
};

// Decodes and validates one requirement. The key is normalised with
// model::NormalizeLabelKey (beta keys become their GA names).
model::Requirement DecodeRequirement(const YamlField& requirement, RequirementSchema schema);

// A core/v1 NodeSelectorTerm {matchExpressions} (node affinity, PV node
// affinity): the expressions ANDed. matchFields is rejected.
model::Requirements DecodeNodeSelectorTerm(const YamlField& term);

// A core/v1 NodeSelector {nodeSelectorTerms} (required node affinity, PV node
// affinity): its terms, ORed; at least one when the selector is given.
std::vector<model::Requirements> DecodeNodeSelector(const YamlField& selector);

}  // namespace adze::codec
