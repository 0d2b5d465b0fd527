#include "model/codec/document_loader.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <cstdlib>
#include <functional>
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml.h>

#include "model/codec/yaml_field.h"

namespace adze::codec {
namespace {

// Skips a UTF-8 byte-order mark, which editors on some systems add.
std::string_view StripBom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

[[noreturn]] void ThrowSyntax(std::string_view file_name, int line, int column, std::string message) {
  Diagnostic d;
  d.file = std::string(file_name);
  d.line = line;
  d.column = column;
  d.message = std::move(message);
  throw DecodeError(std::move(d));
}

// nlohmann reports the byte count read when it failed (1-based position of
// the offending byte); turn that into 1-based line:column.
std::pair<int, int> LineColumn(std::string_view text, size_t byte) {
  size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(end - line_start) + 1};
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line
// 2, column 7: syntax error while parsing value - unexpected '}'; ...". Keep
// the part after the position; we print our own position.
// The byte offset of the first JSON number whose value overflows a double,
// or 0 when none is found (then the message points at the file's start).
size_t FirstHugeNumber(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < text.size() && std::string_view("+-.eE0123456789").find(text[end]) != std::string_view::npos) ++end;
      std::string number(text.substr(i, end - i));
      char* stop = nullptr;
      double v = std::strtod(number.c_str(), &stop);
      if (std::isinf(v)) return i;
      i = end - 1;
    }
  }
  return 0;
}

std::string JsonReason(const std::string& what) {
  // out_of_range and other non-parse errors carry no position: drop only
  // nlohmann's "[json.exception.…] " tag.
  if (what.starts_with("[json.exception.out_of_range")) {
    size_t tag_end = what.find("] ");
    if (tag_end != std::string::npos) return "invalid JSON: " + what.substr(tag_end + 2);
  }
  size_t at = what.find("column ");
  if (at != std::string::npos) {
    size_t colon = what.find(": ", at);
    if (colon != std::string::npos) return "invalid JSON: " + what.substr(colon + 2);
  }
  return "invalid JSON: " + what;
}

void CheckJson(std::string_view text, std::string_view file_name) {
  try {
    // Only the syntax check matters; the tree is built from libyaml below.
    nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = LineColumn(text, e.byte);
    ThrowSyntax(file_name, line, column, JsonReason(e.what()));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406: a number too large for a double ("1e999"). nlohmann
    // gives no position for it, so point at the first such number ourselves.
    auto [line, column] = LineColumn(text, FirstHugeNumber(text) + 1);
    ThrowSyntax(file_name, line, column, JsonReason(e.what()));
  }
}

[[noreturn]] void ThrowAt(std::string_view file_name, const YamlMark& mark, std::string message) {
  ThrowSyntax(file_name, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
              "invalid YAML: " + std::move(message));
}

YamlMark MarkOf(const yaml_mark_t& mark) {
  return YamlMark{.line = static_cast<int>(mark.line), .column = static_cast<int>(mark.column)};
}

// Owns a libyaml parser over a text (libyaml reads the buffer in place).
class LibYamlParser {
 public:
  explicit LibYamlParser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~LibYamlParser() { yaml_parser_delete(&parser_); }
  LibYamlParser(const LibYamlParser&) = delete;
  LibYamlParser& operator=(const LibYamlParser&) = delete;

  // The next event, or a syntax error thrown at libyaml's position.
  // REQUIRES: event is empty; the caller deletes it.
  void Next(yaml_event_t* event, std::string_view file_name) {
    if (yaml_parser_parse(&parser_, event)) return;
    std::string problem = parser_.problem ? parser_.problem : "malformed input";
    if (parser_.context) problem += " (" + std::string(parser_.context) + ")";
    ThrowAt(file_name, MarkOf(parser_.problem_mark), std::move(problem));
  }

 private:
  yaml_parser_t parser_;
};

// Deletes a libyaml event when it goes out of scope.
struct EventGuard {
  yaml_event_t event{};
  ~EventGuard() { yaml_event_delete(&event); }
};

}  // namespace

// Builds one document's tree from libyaml's events, enforcing two limits
// the tree must hold for decoders to be safe on hostile input:
// - nesting depth (kMaxDepth), so that nothing walking or freeing the tree
//   recurses without bound;
// - aliases do not multiply the work. An aliased node is shared, but
//   decoders walk the tree as written out, so ten nested levels of ten
//   aliases each ("billion laughs") would cost 10^10 visits. The builder
//   counts the nodes each anchor stands for and fails once aliases add more
//   than kMaxAliasedNodes in a document (the Go YAML library that kubectl
//   uses refuses such "excessive aliasing" too).
// libyaml itself consumes its input as it goes, so the event loop ends; this
// replaced yaml-cpp 0.7, whose LoadAll loops for ever on some malformed
// streams (its issue 1040: a stream holding just ",\n") and whose scanner
// made a 100,000-Pod file take seconds (issue 15 classes 1 and 8).
class YamlTreeBuilder {
 public:
  static constexpr size_t kMaxDepth = 500;
  static constexpr uint64_t kMaxAliasedNodes = 1'000'000;

  explicit YamlTreeBuilder(std::string_view file_name) : file_name_(file_name) {}

  // Feeds one event of a document (everything between DOCUMENT-START and
  // DOCUMENT-END). Returns true when the document's root is complete.
  bool Add(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_SCALAR_EVENT: {
        auto data = std::make_shared<YamlNode::Data>();
        data->mark = MarkOf(e.start_mark);
        const char* tag = reinterpret_cast<const char*>(e.data.scalar.tag);
        data->plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == nullptr;
        data->scalar.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        const bool null_tag = tag != nullptr && std::string_view(tag) == YAML_NULL_TAG;
        data->type = null_tag || (data->plain && IsNullText(data->scalar)) ? YamlNode::Type::kNull
                                                                          : YamlNode::Type::kScalar;
        return Attach(std::move(data), 1, e.data.scalar.anchor);
      }
      case YAML_ALIAS_EVENT: {
        const std::string name(reinterpret_cast<const char*>(e.data.alias.anchor));
        auto it = anchors_.find(name);
        if (it == anchors_.end()) ThrowAt(file_name_, MarkOf(e.start_mark), "unknown anchor \"" + name + "\"");
        aliased_ += it->second.size;
        if (aliased_ > kMaxAliasedNodes) {
          ThrowAt(file_name_, MarkOf(e.start_mark),
                  "aliases expand to more than " + std::to_string(kMaxAliasedNodes) + " nodes (excessive aliasing)");
        }
        return Attach(it->second.node, it->second.size, nullptr);
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (open_.size() >= kMaxDepth) {
          ThrowAt(file_name_, MarkOf(e.start_mark), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
        }
        auto data = std::make_shared<YamlNode::Data>();
        data->mark = MarkOf(e.start_mark);
        const bool map = e.type == YAML_MAPPING_START_EVENT;
        data->type = map ? YamlNode::Type::kMap : YamlNode::Type::kSequence;
        const yaml_char_t* anchor = map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor;
        open_.push_back(Open{.node = data, .size = 1, .anchor = anchor ? reinterpret_cast<const char*>(anchor) : "", .pending_key = YamlNode()});
        return false;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open done = std::move(open_.back());
        open_.pop_back();
        const yaml_char_t* anchor =
            done.anchor.empty() ? nullptr : reinterpret_cast<const yaml_char_t*>(done.anchor.c_str());
        return Attach(std::move(done.node), done.size, anchor);
      }
      default:
        return false;
    }
  }

  // The finished root. REQUIRES: Add returned true.
  YamlNode TakeRoot() {
    anchors_.clear();
    aliased_ = 0;
    return YamlNode(std::move(root_));
  }

 private:
  struct Open {
    std::shared_ptr<YamlNode::Data> node;
    uint64_t size;        // nodes under it so far, aliases written out
    std::string anchor;   // "" when none
    YamlNode pending_key;  // a map's key waiting for its value
  };
  struct Anchored {
    std::shared_ptr<const YamlNode::Data> node;
    uint64_t size;
  };

  static bool IsNullText(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
  }

  // Hangs a finished node under the innermost open collection, or makes it
  // the root. Returns true when it is the root.
  bool Attach(std::shared_ptr<const YamlNode::Data> node, uint64_t size, const yaml_char_t* anchor) {
    if (anchor != nullptr) anchors_[reinterpret_cast<const char*>(anchor)] = Anchored{node, size};
    if (open_.empty()) {
      root_ = std::move(node);
      return true;
    }
    Open& parent = open_.back();
    parent.size = std::min(parent.size + size, kSaturated);
    if (parent.node->type == YamlNode::Type::kSequence) {
      parent.node->items.push_back(YamlNode(std::move(node)));
    } else if (!parent.pending_key.IsDefined()) {
      parent.pending_key = YamlNode(std::move(node));
    } else {
      parent.node->entries.emplace_back(std::move(parent.pending_key), YamlNode(std::move(node)));
      parent.pending_key = YamlNode();
    }
    return false;
  }

  static constexpr uint64_t kSaturated = uint64_t{1} << 62;
  std::string_view file_name_;
  std::vector<Open> open_;
  std::map<std::string, Anchored, std::less<>> anchors_;
  uint64_t aliased_ = 0;
  std::shared_ptr<const YamlNode::Data> root_;
};

namespace {

// Parses the stream and hands each non-empty document to visit, in order.
void ParseStream(std::string_view text, std::string_view file_name, const std::function<void(const YamlNode&)>& visit) {
  LibYamlParser parser(text);
  YamlTreeBuilder builder(file_name);
  for (;;) {
    EventGuard guard;
    parser.Next(&guard.event, file_name);
    if (guard.event.type == YAML_STREAM_END_EVENT) return;
    if (builder.Add(guard.event)) {
      YamlNode root = builder.TakeRoot();
      if (root.IsDefined() && !root.IsNull()) visit(root);
    }
  }
}

}  // namespace

bool LooksLikeJson(std::string_view text) {
  text = StripBom(text);
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

std::vector<YamlNode> LoadDocuments(std::string_view text, std::string_view file_name) {
  std::vector<YamlNode> docs;
  ForEachDocument(text, file_name, [&](const YamlNode& doc) { docs.push_back(doc); });
  return docs;
}

void ForEachDocument(std::string_view text, std::string_view file_name,
                     const std::function<void(const YamlNode&)>& visit) {
  text = StripBom(text);
  if (LooksLikeJson(text)) CheckJson(text, file_name);
  ParseStream(text, file_name, visit);
}

}  // namespace adze::codec
