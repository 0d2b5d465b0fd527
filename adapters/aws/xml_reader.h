// Namespace-agnostic reading of AWS XML responses over pugixml. Elements are
// matched by local name: AWS answers with xmlns="http://ec2.amazonaws.com/
// doc/2016-11-15/", fakes with other namespaces or prefixes, and the
// client must not care which.
// Thread-safety: pure functions over caller-owned documents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "model/result.h"

namespace adze::adapters::aws {

// The element's name without a namespace prefix.
std::string_view LocalName(const pugi::xml_node& node);
// The first child element with that local name (an empty node if none).
pugi::xml_node Child(const pugi::xml_node& node, std::string_view local_name);
// Follows a path of local names: Child(Child(node, "a"), "b") for {"a", "b"}.
pugi::xml_node Path(const pugi::xml_node& node, std::initializer_list<std::string_view> path);
// Every child element with that local name.
std::vector<pugi::xml_node> Children(const pugi::xml_node& node, std::string_view local_name);
// The AWS list convention <name><item>..</item>...</name>: the <item>s (or
// <member>s) under the child `list_name`.
std::vector<pugi::xml_node> Items(const pugi::xml_node& node, std::string_view list_name);
// The text of the child element (empty if missing).
std::string Text(const pugi::xml_node& node, std::string_view local_name);
std::optional<int64_t> Int(const pugi::xml_node& node, std::string_view local_name);
std::optional<double> Double(const pugi::xml_node& node, std::string_view local_name);
// Parses a response body; kInternal with the parser's reason if it is not XML.
Result<pugi::xml_node> ParseXml(pugi::xml_document& doc, const std::string& body);

}  // namespace adze::adapters::aws
