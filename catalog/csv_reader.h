// CsvTable: a small, strict reader for comma-separated files (RFC 4180).
//
// The first record is the header. Fields may be quoted with '"'; a quoted
// field may hold commas, line breaks and doubled quotes (""). Records end in
// LF or CRLF; a UTF-8 byte-order mark at the start is skipped, and blank lines
// are ignored. Every record must have as many fields as the header.
//
// Errors name the source, the line and, once the header is known, the column:
//   "data/aws/instance-types.csv:12: column \"gpu_name\": unterminated quoted field"
// Thread-safety: value type.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace adze::catalog {

struct CsvRecord {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Parses text. source_name is used only in error messages.
  static Result<CsvTable> Parse(std::string_view text, std::string_view source_name);

  const std::string& source_name() const { return source_name_; }
  const std::vector<std::string>& header() const { return header_; }
  // The data records (the header excluded), in file order.
  const std::vector<CsvRecord>& records() const { return records_; }
  // Index of the named column; nullopt when the header lacks it.
  std::optional<size_t> ColumnIndex(std::string_view name) const;

  // "source:line: column \"name\": message" (the column part is left out when
  // column is out of range).
  std::string Where(int line, size_t column) const;

 private:
  std::string source_name_;
  std::vector<std::string> header_;
  std::vector<CsvRecord> records_;
};

}  // namespace adze::catalog
