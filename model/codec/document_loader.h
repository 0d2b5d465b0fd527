// LoadDocuments: turns the text of a manifest file into positioned YAML
// document trees, or a syntax error with file:line:col.
//
// YAML streams may hold several documents separated by '---'; empty documents
// are dropped. Text whose first non-blank character is '{' or '[' is taken as
// JSON: it is checked with a strict JSON parser first (yaml-cpp accepts some
// invalid JSON, e.g. `{"a": }`, and its messages are YAML-flavoured), then
// parsed by yaml-cpp, which reads JSON as YAML flow syntax, so the nodes
// carry line and column for later semantic errors.
// Thread-safety: pure function.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace adze::codec {

// Throws DecodeError (see yaml_field.h) on a syntax error.
std::vector<YAML::Node> LoadDocuments(std::string_view text, std::string_view file_name);

// As LoadDocuments, but parses and hands over one document at a time, so a
// stream of many documents never holds more than one tree: visit(doc,
// line_offset) gets each non-empty document and the number of lines of the
// file before the text it was parsed from (add it to the 0-based
// doc.Mark().line; columns are unchanged). For `plan -f` on files of
// thousands of objects.
void ForEachDocument(std::string_view text, std::string_view file_name,
                     const std::function<void(const YAML::Node&, int line_offset)>& visit);

// True when text looks like JSON (first non-blank character is '{' or '[').
bool LooksLikeJson(std::string_view text);

}  // namespace adze::codec
