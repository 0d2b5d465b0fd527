#include "catalog/csv_reader.h"

#include <utility>

namespace adze::catalog {
namespace {

std::string Location(std::string_view source, int line) {
  return std::string(source) + ":" + std::to_string(line) + ": ";
}

std::string ColumnPart(const std::vector<std::string>& header, size_t column) {
  if (column < header.size()) return "column \"" + header[column] + "\": ";
  return "field " + std::to_string(column + 1) + ": ";
}

}  // namespace

std::optional<size_t> CsvTable::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::string CsvTable::Where(int line, size_t column) const {
  std::string s = Location(source_name_, line);
  if (column < header_.size()) s += "column \"" + header_[column] + "\": ";
  return s;
}

Result<CsvTable> CsvTable::Parse(std::string_view text, std::string_view source_name) {
  CsvTable table;
  table.source_name_ = std::string(source_name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  bool have_header = false;
  int line = 1;  // current physical line
  size_t i = 0;
  const size_t n = text.size();

  // Each pass of this loop reads one record.
  while (i < n) {
    // Blank lines (LF or CRLF alone) carry no record.
    if (text[i] == '\n') {
      ++i;
      ++line;
      continue;
    }
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
      i += 2;
      ++line;
      continue;
    }

    CsvRecord record;
    record.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      const size_t column = record.fields.size();
      field.clear();
      if (i < n && text[i] == '"') {
        // Quoted field.
        const int open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          return Error::InvalidArgument(Location(source_name, open_line) +
                                        ColumnPart(have_header ? table.header_ : std::vector<std::string>{}, column) +
                                        "unterminated quoted field");
        }
        // After the closing quote: a separator, a line end or the end of input.
        if (i < n && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
          return Error::InvalidArgument(Location(source_name, line) +
                                        ColumnPart(have_header ? table.header_ : std::vector<std::string>{}, column) +
                                        "unexpected character after closing quote");
        }
      } else {
        // Unquoted field: up to the next separator or line end.
        while (i < n && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') break;
          if (text[i] == '"') {
            return Error::InvalidArgument(Location(source_name, line) +
                                          ColumnPart(have_header ? table.header_ : std::vector<std::string>{}, column) +
                                          "quote inside an unquoted field");
          }
          field.push_back(text[i]);
          ++i;
        }
      }
      record.fields.push_back(std::move(field));
      field = std::string();
      if (i >= n) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else if (text[i] == '\n') {
        ++i;
        ++line;
        record_done = true;
      } else {  // CRLF
        i += 2;
        ++line;
        record_done = true;
      }
    }

    if (!have_header) {
      for (size_t a = 0; a < record.fields.size(); ++a) {
        if (record.fields[a].empty()) {
          return Error::InvalidArgument(Location(source_name, record.line) + "header field " + std::to_string(a + 1) +
                                        " is empty");
        }
        for (size_t b = 0; b < a; ++b) {
          if (record.fields[a] == record.fields[b]) {
            return Error::InvalidArgument(Location(source_name, record.line) + "duplicate column \"" +
                                          record.fields[a] + "\" in the header");
          }
        }
      }
      table.header_ = std::move(record.fields);
      have_header = true;
      continue;
    }
    if (record.fields.size() != table.header_.size()) {
      return Error::InvalidArgument(Location(source_name, record.line) + "expected " +
                                    std::to_string(table.header_.size()) + " fields (as in the header), found " +
                                    std::to_string(record.fields.size()));
    }
    table.records_.push_back(std::move(record));
  }
  if (!have_header) return Error::InvalidArgument(std::string(source_name) + ": empty file, no header line");
  return table;
}

}  // namespace adze::catalog
