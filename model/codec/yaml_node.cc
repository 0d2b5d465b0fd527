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
