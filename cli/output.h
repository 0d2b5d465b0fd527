// Output formats shared by the sub-commands: aligned text tables, CSV, JSON
// and YAML. A command builds a Table for people and a JSON document for
// machines from the same rows. Thread-safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.h"

namespace adze::cli {

enum class OutputFormat { kTable, kJson, kYaml, kCsv };

// Parses "table", "json", "yaml", "csv" (also "wide" as table).
Result<OutputFormat> ParseOutputFormat(std::string_view name);

class Table {
 public:
  struct Column {
    std::string header;
    bool right_align = false;  // numbers
  };

  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // REQUIRES: cells.size() == number of columns.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // Columns padded to their widest cell, two spaces apart, headers upper-case.
  std::string RenderText() const;
  // RFC 4180: fields with commas, quotes or newlines are quoted.
  std::string RenderCsv() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Block-style YAML for a JSON document (keys in document order).
std::string ToYaml(const nlohmann::ordered_json& doc);

}  // namespace adze::cli
