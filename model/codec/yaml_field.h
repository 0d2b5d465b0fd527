// YamlField: a cursor over one node of a parsed YAML (or JSON) document that
// knows its file, its position and its field path, so every decoding error
// can say where it is and what was expected:
//
//   pool.yaml:14:19: spec.template.spec.requirements[2].operator: found "Inn",
//   expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte
//
// Decoders read a manifest through it: operator[] steps into a map field,
// typed getters convert scalars, Items()/Entries() walk lists and maps, and
// CheckFields() reports keys the decoder does not know as warnings.
//
// Errors: the first problem throws DecodeError (a parser is a boundary where
// exceptions are allowed, STYLE.md "Errors"); entry points turn it into a
// Result with CatchDecodeError, so no exception leaves the codec.
//
// Absent and null: a missing key and an explicit null (`key:` or `key: null`)
// both read as "not set", as the Kubernetes API server treats them. Optional
// getters return nullopt / the default for both; required getters fail.
//
// Thread-safety: a YamlField is a cheap value; fields sharing a DecodeContext
// must be used from one thread.
#pragma once

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/codec/diagnostic.h"
#include "model/codec/yaml_node.h"
#include "model/duration.h"
#include "model/labels.h"
#include "model/quantity.h"
#include "model/resource_list.h"
#include "model/result.h"

namespace adze::codec {

// The first error of a decode. Carries a complete Diagnostic.
class DecodeError : public std::exception {
 public:
  explicit DecodeError(Diagnostic d) : diagnostic_(std::move(d)), text_(diagnostic_.ToString()) {}
  const Diagnostic& diagnostic() const { return diagnostic_; }
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  Diagnostic diagnostic_;
  std::string text_;
};

// State shared by every field of one decode: the file name for messages and
// the warnings collected so far.
class DecodeContext {
 public:
  explicit DecodeContext(std::string file_name) : file_name_(std::move(file_name)) {}

  const std::string& file_name() const { return file_name_; }
  void Warn(Diagnostic d) { warnings_.push_back(std::move(d)); }
  std::vector<Diagnostic>& warnings() { return warnings_; }

 private:
  std::string file_name_;
  std::vector<Diagnostic> warnings_;
};

class YamlField {
 public:
  // A document root. REQUIRES: ctx outlives this field and every field
  // derived from it. node should come from a parse so that it has a mark.
  YamlField(YamlNode node, DecodeContext* ctx, std::string path = "");

  const std::string& path() const { return path_; }
  int line() const { return mark_.line + 1; }
  int column() const { return mark_.column + 1; }
  DecodeContext* context() const { return ctx_; }

  // True when the key was given with a non-null value.
  bool present() const { return node_.IsDefined() && !node_.IsNull(); }
  bool IsMap() const { return present() && node_.IsMap(); }
  bool IsList() const { return present() && node_.IsSequence(); }
  bool IsScalar() const { return present() && node_.IsScalar(); }
  // The raw node, for callers that read it directly.
  const YamlNode& node() const { return node_; }

  // The field `key` of this map. Absent (not present()) when this field is
  // absent/null or has no such key; its position is then this field's.
  // Throws when this field is present but not a map.
  YamlField operator[](std::string_view key) const;

  // Checks that this field (when present) is a map whose keys are all in
  // `known` or `ignored` (fields that are valid in the real schema but not
  // modelled). Any other key is recorded as a warning at the key; a repeated
  // key is an error. `ignored` is separate only to document intent.
  void CheckFields(std::initializer_list<std::string_view> known,
                   std::initializer_list<std::string_view> ignored = {}) const;

  // Fails unless this field is a present map ("required field is missing"
  // when absent). Returns *this for chaining.
  const YamlField& RequireMap() const;

  // --- Scalars. The plain getters require the field to be present.
  std::string String() const;
  std::optional<std::string> OptString() const;
  std::string StringOr(std::string_view def) const;
  // One of `allowed`, spelled exactly.
  std::string Keyword(std::initializer_list<std::string_view> allowed) const;
  std::optional<std::string> OptKeyword(std::initializer_list<std::string_view> allowed) const;

  // A base-10 integer in [min, max]; a quoted integer ("3") is accepted too.
  int64_t Int(int64_t min = std::numeric_limits<int64_t>::min(),
              int64_t max = std::numeric_limits<int64_t>::max()) const;
  std::optional<int64_t> OptInt(int64_t min = std::numeric_limits<int64_t>::min(),
                                int64_t max = std::numeric_limits<int64_t>::max()) const;
  int32_t Int32(int32_t min = std::numeric_limits<int32_t>::min(),
                int32_t max = std::numeric_limits<int32_t>::max()) const;
  std::optional<int32_t> OptInt32(int32_t min = std::numeric_limits<int32_t>::min(),
                                  int32_t max = std::numeric_limits<int32_t>::max()) const;

  // true/false (any case), and YAML 1.1's yes/no/on/off as kubectl accepts.
  bool Bool() const;
  std::optional<bool> OptBool() const;
  bool BoolOr(bool def) const;

  // A Kubernetes quantity (500m, 2, 1.5Gi); numbers may be unquoted.
  model::Quantity Quantity() const;
  std::optional<model::Quantity> OptQuantity() const;
  // A Go duration (30s, 1h30m).
  model::Duration Duration() const;
  std::optional<model::Duration> OptDuration() const;

  // --- Collections. Absent or null reads as empty.
  // The elements of a list, with paths "path[i]".
  std::vector<YamlField> Items() const;
  // The entries of a map in document order, with paths "path[key]".
  std::vector<std::pair<std::string, YamlField>> Entries() const;
  // A map of string to string (labels, annotations, tags).
  std::map<std::string, std::string, std::less<>> StringMap() const;
  std::vector<std::string> StringList() const;
  // A map of resource name to quantity (requests, capacity, limits).
  model::ResourceList ResourceList() const;
  // A resource list a user asks for or caps (a container's requests and
  // limits, pod overhead, a NodePool's limits), validated as the API server
  // does: no quantity is negative, and an extended resource (a qualified
  // name outside the kubernetes.io/ domain, e.g. nvidia.com/gpu) is a whole
  // number, since devices are not shared by fractions.
  model::ResourceList ResourceAmounts() const;

  // --- Errors.
  // Throws DecodeError at this field with `message`.
  [[noreturn]] void Fail(std::string_view message) const;
  // Throws `found <what this is>, expected <expected>`.
  [[noreturn]] void FailExpected(std::string_view expected) const;
  // Records a warning at this field.
  void Warn(std::string_view message) const;
  // What this field holds, for messages: "Inn" (quoted), 42, a map, a list,
  // null, nothing.
  std::string Describe() const;

 private:
  YamlField(YamlNode node, YamlMark mark, DecodeContext* ctx, std::string path)
      : node_(std::move(node)), mark_(mark), ctx_(ctx), path_(std::move(path)) {}

  std::string Child(std::string_view key) const;
  // The scalar text; fails with `expected` when not a scalar.
  const std::string& ScalarText(std::string_view expected) const;
  void RequirePresent() const;

  YamlNode node_;
  YamlMark mark_;
  DecodeContext* ctx_;
  std::string path_;
};

// "one of A, B, C", for messages.
std::string OneOf(std::initializer_list<std::string_view> allowed);

// Runs decode(), returning its value, or the DecodeError it threw as an
// InvalidArgument Error whose message is the Diagnostic's text.
template <typename T, typename F>
Result<T> CatchDecodeError(std::string_view /*file_name*/, F&& decode) {
  try {
    return decode();
  } catch (const DecodeError& e) {
    return Error::InvalidArgument(e.diagnostic().ToString());
  }
}

}  // namespace adze::codec
