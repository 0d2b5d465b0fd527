#include "model/codec/yaml_node.h"

namespace adze::codec {
namespace {

const std::string& EmptyString() {
  static const std::string* empty = new std::string();
  return *empty;
}

const std::vector<YamlNode>& NoItems() {
  static const std::vector<YamlNode>* none = new std::vector<YamlNode>();
  return *none;
}

const std::vector<std::pair<YamlNode, YamlNode>>& NoEntries() {
  static const std::vector<std::pair<YamlNode, YamlNode>>* none = new std::vector<std::pair<YamlNode, YamlNode>>();
  return *none;
}

}  // namespace

YamlNode YamlNode::Null() {
  auto data = std::make_shared<Data>();
  data->type = Type::kNull;
  return YamlNode(std::move(data));
}

YamlNode YamlNode::Scalar(std::string text, bool plain) {
  auto data = std::make_shared<Data>();
  data->type = Type::kScalar;
  data->plain = plain;
  data->scalar = std::move(text);
  return YamlNode(std::move(data));
}

YamlNode YamlNode::Sequence(std::vector<YamlNode> items) {
  auto data = std::make_shared<Data>();
  data->type = Type::kSequence;
  data->items = std::move(items);
  return YamlNode(std::move(data));
}

YamlNode YamlNode::Map(std::vector<std::pair<YamlNode, YamlNode>> entries) {
  auto data = std::make_shared<Data>();
  data->type = Type::kMap;
  data->entries = std::move(entries);
  return YamlNode(std::move(data));
}

YamlNode::Type YamlNode::type() const { return data_ ? data_->type : Type::kUndefined; }

const std::string& YamlNode::Scalar() const { return IsScalar() ? data_->scalar : EmptyString(); }

bool YamlNode::IsPlain() const { return IsScalar() && data_->plain; }

YamlMark YamlNode::Mark() const { return data_ ? data_->mark : YamlMark{}; }

const std::vector<YamlNode>& YamlNode::Items() const { return IsSequence() ? data_->items : NoItems(); }

const std::vector<std::pair<YamlNode, YamlNode>>& YamlNode::Entries() const {
  return IsMap() ? data_->entries : NoEntries();
}

YamlNode YamlNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : Entries()) {
    if (k.IsScalar() && k.Scalar() == key) return v;
  }
  return YamlNode();
}

YamlNode YamlNode::operator[](size_t i) const {
  const std::vector<YamlNode>& items = Items();
  return i < items.size() ? items[i] : YamlNode();
}

}  // namespace adze::codec
