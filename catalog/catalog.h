// Catalog: the EC2 instance types adze knows about, loaded from the two CSVs
// of data/aws (see data/aws/README.md), either embedded at build time
// (Embedded()) or given as text (FromCsv()).
//
// The loader is strict: every column the README lists must be present (extra
// columns are ignored), every cell must parse, instance types are unique, and
// each zone row must name a known type and agree with the other rows on the
// zone's id. Errors name the file, the line and the column.
// Thread-safety: immutable after construction; safe to share across threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/instance_type_info.h"
#include "model/result.h"

namespace adze::catalog {

class Catalog {
 public:
  // Parses instance-types.csv (types_csv) and zones-us-east-1.csv (zones_csv).
  // source_name says where the files came from (a directory, or "embedded");
  // errors read "<source_name>/instance-types.csv:LINE: column \"COL\": ...".
  static Result<Catalog> FromCsv(std::string_view types_csv, std::string_view zones_csv,
                                 std::string_view source_name);
  // As FromCsv, for two files named by the user (`--catalog`, `--zones`):
  // errors name types_name and zones_name as given, not a folder under them.
  static Result<Catalog> FromCsvFiles(std::string_view types_csv, std::string_view zones_csv,
                                      const std::string& types_name, const std::string& zones_name,
                                      std::string_view source_name);

  // The catalog embedded at build time, parsed on first use. The embedded data
  // is checked by the build's tests, so a parse failure here aborts.
  static const Catalog& Embedded();

  // All types, retired ones included, sorted by name.
  const std::vector<InstanceTypeInfo>& types() const { return types_; }
  // The named type, or nullptr.
  const InstanceTypeInfo* Find(std::string_view instance_type) const;
  // Zones offering the named type, sorted by zone name; empty when the type is
  // unknown or offered nowhere.
  const std::vector<TypeZone>& Zones(std::string_view instance_type) const;
  // Every zone named in the zones file, sorted by name.
  const std::vector<Zone>& AllZones() const { return all_zones_; }
  const std::string& source_name() const { return source_name_; }

 private:
  std::string source_name_;
  std::vector<InstanceTypeInfo> types_;
  std::vector<Zone> all_zones_;
};

}  // namespace adze::catalog
