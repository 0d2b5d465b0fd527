#include "adapters/kube/json_yaml.h"

#include <string>

namespace adze::kube {

YAML::Node JsonToYaml(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      YAML::Node out(YAML::NodeType::Map);
      for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = JsonToYaml(it.value());
      return out;
    }
    case nlohmann::json::value_t::array: {
      YAML::Node out(YAML::NodeType::Sequence);
      for (const nlohmann::json& item : value) out.push_back(JsonToYaml(item));
      return out;
    }
    case nlohmann::json::value_t::string:
      return YAML::Node(value.get<std::string>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return YAML::Node(YAML::NodeType::Null);
    default:
      // Numbers and booleans: their JSON text is also their YAML scalar.
      return YAML::Node(value.dump());
  }
}

}  // namespace adze::kube
