// YamlNode: one node of a parsed YAML (or JSON) document, with where it was
// written. The document loader (document_loader.h) builds the tree from
// libyaml's events; decoders read it through YamlField. A node is a cheap,
// immutable handle: copies share the tree, and an aliased node (*anchor) is
// the anchored node itself, shared, never copied.
//
// Nulls follow YAML's core schema as yaml-cpp and the Go YAML library that
// kubectl uses do: a plain (unquoted, untagged) scalar that is empty, "~",
// "null", "Null" or "NULL" is null; a quoted "null" is the string.
//
// Thread-safety: immutable once built; share freely across threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace adze::codec {

// A position in the text, all 0-based (a DecodeError reports them 1-based).
struct YamlMark {
  int line = -1;
  int column = -1;
  bool is_null() const { return line < 0; }
};

class YamlNode {
 public:
  enum class Type { kUndefined, kNull, kScalar, kSequence, kMap };
  struct Data;

  // An undefined node: "no such key".
  YamlNode() = default;

  // Nodes built in code (a JSON object read from an API, converted for the
  // decoders): no position. A quoted scalar (plain = false) is never null.
  static YamlNode Null();
  static YamlNode Scalar(std::string text, bool plain);
  static YamlNode Sequence(std::vector<YamlNode> items);
  static YamlNode Map(std::vector<std::pair<YamlNode, YamlNode>> entries);

  Type type() const;
  bool IsDefined() const { return data_ != nullptr; }
  bool IsNull() const { return type() == Type::kNull; }
  bool IsScalar() const { return type() == Type::kScalar; }
  bool IsSequence() const { return type() == Type::kSequence; }
  bool IsMap() const { return type() == Type::kMap; }

  // The text of a scalar (as written, quotes and escapes resolved); "" for
  // anything else.
  const std::string& Scalar() const;
  // True for a scalar written without quotes and without a tag (`3`, `abc`),
  // false for `"3"`, `'abc'` and `!!str 3`.
  bool IsPlain() const;
  // Where the node starts; null for an undefined node.
  YamlMark Mark() const;

  // The items of a sequence; empty for anything else.
  const std::vector<YamlNode>& Items() const;
  // The entries of a map in document order (a repeated key appears twice);
  // empty for anything else.
  const std::vector<std::pair<YamlNode, YamlNode>>& Entries() const;

  // The value of the first entry whose key is the scalar `key`; undefined
  // when there is none or this is not a map.
  YamlNode operator[](std::string_view key) const;
  // The i-th item of a sequence; undefined when out of range.
  YamlNode operator[](size_t i) const;

 private:
  friend class YamlTreeBuilder;
  explicit YamlNode(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;
};

struct YamlNode::Data {
  Type type = Type::kNull;
  YamlMark mark;
  bool plain = false;
  std::string scalar;
  std::vector<YamlNode> items;
  std::vector<std::pair<YamlNode, YamlNode>> entries;
};

}  // namespace adze::codec
