#include "model/codec/document_loader.h"

#include <string>

#include <nlohmann/json.hpp>

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
std::string JsonReason(const std::string& what) {
  size_t at = what.find("column ");
  if (at != std::string::npos) {
    size_t colon = what.find(": ", at);
    if (colon != std::string::npos) return "invalid JSON: " + what.substr(colon + 2);
  }
  return "invalid JSON: " + what;
}

void CheckJson(std::string_view text, std::string_view file_name) {
  try {
    // Only the syntax check matters; the tree is built by yaml-cpp below.
    nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = LineColumn(text, e.byte);
    ThrowSyntax(file_name, line, column, JsonReason(e.what()));
  }
}

}  // namespace

bool LooksLikeJson(std::string_view text) {
  text = StripBom(text);
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

std::vector<YAML::Node> LoadDocuments(std::string_view text, std::string_view file_name) {
  text = StripBom(text);
  if (LooksLikeJson(text)) CheckJson(text, file_name);
  std::vector<YAML::Node> docs;
  try {
    for (YAML::Node& doc : YAML::LoadAll(std::string(text))) {
      if (doc.IsDefined() && !doc.IsNull()) docs.push_back(doc);
    }
  } catch (const YAML::ParserException& e) {
    ThrowSyntax(file_name, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
                "invalid YAML: " + e.msg);
  }
  return docs;
}

}  // namespace adze::codec
