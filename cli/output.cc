#include "cli/output.h"

#include <algorithm>
#include <cctype>

#include <yaml-cpp/yaml.h>

#include "model/check.h"

namespace adze::cli {

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table" || name == "wide") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "yaml") return OutputFormat::kYaml;
  if (name == "csv") return OutputFormat::kCsv;
  return Error::InvalidArgument("unknown output format \"" + std::string(name) +
                                "\" (expected table, json, yaml or csv)");
}

void Table::AddRow(std::vector<std::string> cells) {
  ADZE_CHECK(cells.size() == columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::RenderText() const {
  std::vector<size_t> width(columns_.size());
  std::vector<std::string> headers;
  for (size_t c = 0; c < columns_.size(); ++c) {
    std::string h = columns_[c].header;
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return std::toupper(ch); });
    headers.push_back(h);
    width[c] = h.size();
    for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string pad(width[c] - cells[c].size(), ' ');
      bool last = c + 1 == cells.size();
      if (columns_[c].right_align) {
        out += pad + cells[c];
      } else {
        out += cells[c] + (last ? "" : pad);
      }
      if (!last) out += "  ";
    }
    return out + "\n";
  };
  std::string out = line(headers);
  for (const auto& row : rows_) out += line(row);
  return out;
}

namespace {
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string Table::RenderCsv() const {
  std::string out;
  for (size_t c = 0; c < columns_.size(); ++c) out += (c ? "," : "") + CsvField(columns_[c].header);
  out += "\n";
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + CsvField(row[c]);
    out += "\n";
  }
  return out;
}

namespace {
void Emit(YAML::Emitter& e, const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::object:
      e << YAML::BeginMap;
      for (auto it = j.begin(); it != j.end(); ++it) {
        e << YAML::Key << it.key() << YAML::Value;
        Emit(e, it.value());
      }
      e << YAML::EndMap;
      break;
    case nlohmann::ordered_json::value_t::array:
      e << YAML::BeginSeq;
      for (const auto& v : j) Emit(e, v);
      e << YAML::EndSeq;
      break;
    case nlohmann::ordered_json::value_t::string:
      e << j.get<std::string>();
      break;
    case nlohmann::ordered_json::value_t::null:
      e << YAML::Null;
      break;
    default:
      // Numbers and booleans print as JSON prints them.
      e << j.dump();
      break;
  }
}
}  // namespace

std::string ToYaml(const nlohmann::ordered_json& doc) {
  YAML::Emitter e;
  Emit(e, doc);
  return std::string(e.c_str()) + "\n";
}

}  // namespace adze::cli
