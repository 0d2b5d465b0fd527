// LoadDocuments: turns the text of a manifest file into positioned YAML
// document trees, or a syntax error with file:line:col.
//
// YAML streams may hold several documents separated by '---'; empty documents
// are dropped. Text whose first non-blank character is '{' or '[' is taken as
// JSON: it is checked with a strict JSON parser first (a YAML parser accepts
// some invalid JSON, e.g. `{"a": }`, and its messages are YAML-flavoured),
// then parsed as YAML flow syntax, so the nodes carry line and column for
// later semantic errors. The parser is libyaml (the C library behind PyYAML's
// fast loader): it always consumes its input, so it ends on any text, and it
// reads a 15 MB file of 100,000 Pods in a fraction of a second.
// Thread-safety: pure function.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "model/codec/yaml_node.h"

namespace adze::codec {

// Throws DecodeError (see yaml_field.h) on a syntax error.
std::vector<YamlNode> LoadDocuments(std::string_view text, std::string_view file_name);

// As LoadDocuments, but parses and hands over one document at a time, so a
// stream of many documents never holds more than one tree: visit(doc) gets
// each non-empty document, positioned in the whole file, as soon as it is
// complete. For `plan -f` on files of thousands of objects.
void ForEachDocument(std::string_view text, std::string_view file_name,
                     const std::function<void(const YamlNode&)>& visit);

// True when text looks like JSON (first non-blank character is '{' or '[').
bool LooksLikeJson(std::string_view text);

}  // namespace adze::codec
