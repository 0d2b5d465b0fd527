// JsonToYaml: hands a JSON object read from the Kubernetes API to the model's
// manifest decoders (model/codec), which read YAML trees. JSON is a subset of
// YAML, so the conversion keeps every value; scalars become YAML scalars in
// their JSON spelling (numbers, true/false) and null stays null.
// Thread-safety: pure function.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace adze::kube {

YAML::Node JsonToYaml(const nlohmann::json& value);

}  // namespace adze::kube
