#include "adapters/aws/xml_reader.h"

#include <charconv>
#include <cstdlib>

namespace adze::adapters::aws {

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local_name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local_name) return c;
  }
  return {};
}

pugi::xml_node Path(const pugi::xml_node& node, std::initializer_list<std::string_view> path) {
  pugi::xml_node n = node;
  for (std::string_view p : path) n = Child(n, p);
  return n;
}

std::vector<pugi::xml_node> Children(const pugi::xml_node& node, std::string_view local_name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local_name) out.push_back(c);
  }
  return out;
}

std::vector<pugi::xml_node> Items(const pugi::xml_node& node, std::string_view list_name) {
  pugi::xml_node list = Child(node, list_name);
  std::vector<pugi::xml_node> out = Children(list, "item");
  if (out.empty()) out = Children(list, "member");
  return out;
}

std::string Text(const pugi::xml_node& node, std::string_view local_name) {
  return Child(node, local_name).text().get();
}

std::optional<int64_t> Int(const pugi::xml_node& node, std::string_view local_name) {
  const std::string t = Text(node, local_name);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> Double(const pugi::xml_node& node, std::string_view local_name) {
  const std::string t = Text(node, local_name);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return v;
}

Result<pugi::xml_node> ParseXml(pugi::xml_document& doc, const std::string& body) {
  const pugi::xml_parse_result r = doc.load_buffer(body.data(), body.size());
  if (!r) return Error::Internal(std::string("response is not XML: ") + r.description());
  return doc.document_element();
}

}  // namespace adze::adapters::aws
