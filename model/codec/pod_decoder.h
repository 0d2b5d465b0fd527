// Decoders for core/v1 Pods and pod templates (spec.template of a
// Deployment, Job or DaemonSet). Only scheduling-relevant fields are
// modelled (model/pod.h); the rest of the PodSpec schema is accepted without
// warnings. Thread-safety: pure functions over the fields they are given.
#pragma once

#include <string_view>

#include "model/codec/yaml_field.h"
#include "model/object_meta.h"
#include "model/pod.h"

namespace adze::codec {

// A whole `kind: Pod` object (apiVersion, kind, metadata, spec; status is
// ignored). The namespace defaults to "default".
model::Pod DecodePod(const YamlField& object);

// A pod template {metadata, spec}. The pod takes the owner's namespace and
// is owner-referenced (controller) by {owner_kind, owner.name}.
model::Pod DecodePodTemplate(const YamlField& pod_template, const model::ObjectMeta& owner,
                             std::string_view owner_kind);

}  // namespace adze::codec
