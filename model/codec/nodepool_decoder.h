// Decoder for karpenter.sh/v1 NodePool objects, validating as Karpenter's
// CRD schema and webhook do (spec §1.1): requirement operators and values,
// minValues, restricted label domains, budgets, weight. Defaults follow
// model/nodepool.h (expireAfter 720h, consolidateAfter 0s, budgets
// [{nodes: 10%}]). Thread-safety: pure function over the field it is given.
#pragma once

#include "model/codec/yaml_field.h"
#include "model/nodepool.h"

namespace adze::codec {

// The whole object (apiVersion, kind, metadata, spec; status is ignored).
model::NodePool DecodeNodePool(const YamlField& object);

}  // namespace adze::codec
