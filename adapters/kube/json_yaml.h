// JsonToYaml: hands a JSON object read from the Kubernetes API to the model's
// manifest decoders (model/codec), which read YAML trees (codec::YamlNode). JSON is a subset of
// YAML, so the conversion keeps every value; scalars become YAML scalars in
// their JSON spelling (numbers, true/false) and null stays null.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "model/codec/yaml_node.h"

namespace adze::kube {

codec::YamlNode JsonToYaml(const nlohmann::json& value);

}  // namespace adze::kube
