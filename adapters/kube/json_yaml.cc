#include "adapters/kube/json_yaml.h"

#include <string>
#include <utility>
#include <vector>

namespace adze::kube {

codec::YamlNode JsonToYaml(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      std::vector<std::pair<codec::YamlNode, codec::YamlNode>> entries;
      entries.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) {
        entries.emplace_back(codec::YamlNode::Scalar(it.key(), false), JsonToYaml(it.value()));
      }
      return codec::YamlNode::Map(std::move(entries));
    }
    case nlohmann::json::value_t::array: {
      std::vector<codec::YamlNode> items;
      items.reserve(value.size());
      for (const nlohmann::json& item : value) items.push_back(JsonToYaml(item));
      return codec::YamlNode::Sequence(std::move(items));
    }
    case nlohmann::json::value_t::string:
      // A JSON string is a quoted scalar: "null" or "" stays a string.
      return codec::YamlNode::Scalar(value.get<std::string>(), false);
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return codec::YamlNode::Null();
    default:
      // Numbers and booleans: their JSON text is also their YAML scalar.
      return codec::YamlNode::Scalar(value.dump(), true);
  }
}

}  // namespace adze::kube
