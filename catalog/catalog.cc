#include "catalog/catalog.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "catalog/csv_reader.h"
#include "catalog/embedded_data.h"
#include "model/check.h"

namespace adze::catalog {
namespace {

constexpr std::string_view kTypesFile = "instance-types.csv";
constexpr std::string_view kZonesFile = "zones-us-east-1.csv";

// Reads typed cells from one record. The first failure is kept; later reads
// return defaults, so a row parser can read every column and check once.
class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRecord& record, const std::vector<size_t>& columns)
      : table_(table), record_(record), columns_(columns) {}

  // column_slot indexes the list of required columns given to the constructor.
  const std::string& Cell(size_t column_slot) const { return record_.fields[columns_[column_slot]]; }

  std::string String(size_t slot, bool allow_empty) {
    const std::string& s = Cell(slot);
    if (!allow_empty && s.empty()) Fail(slot, "empty cell");
    return s;
  }

  template <typename Int>
  std::optional<Int> OptionalInt(size_t slot, Int min_value) {
    const std::string& s = Cell(slot);
    if (s.empty()) return std::nullopt;
    Int v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
      Fail(slot, "expected an integer, got \"" + s + "\"");
      return std::nullopt;
    }
    if (v < min_value) {
      Fail(slot, "expected at least " + std::to_string(min_value) + ", got " + s);
      return std::nullopt;
    }
    return v;
  }

  template <typename Int>
  Int RequiredInt(size_t slot, Int min_value) {
    if (Cell(slot).empty()) {
      Fail(slot, "empty cell, expected an integer");
      return 0;
    }
    return OptionalInt<Int>(slot, min_value).value_or(0);
  }

  std::optional<double> OptionalDouble(size_t slot, double min_value, double max_value) {
    const std::string& s = Cell(slot);
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
      Fail(slot, "expected a number, got \"" + s + "\"");
      return std::nullopt;
    }
    if (!(v >= min_value && v <= max_value)) {  // also rejects NaN
      Fail(slot, "value " + s + " out of range");
      return std::nullopt;
    }
    return v;
  }

  bool Bool(size_t slot) {
    const std::string& s = Cell(slot);
    if (s == "true") return true;
    if (s == "false") return false;
    Fail(slot, "expected true or false, got \"" + s + "\"");
    return false;
  }

  void Fail(size_t slot, std::string message) {
    if (error_) return;
    error_ = Error::InvalidArgument(table_.Where(record_.line, columns_[slot]) + message);
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  const CsvTable& table_;
  const CsvRecord& record_;
  const std::vector<size_t>& columns_;
  std::optional<Error> error_;
};

// Resolves each name to its column index, or an error naming the missing column.
Result<std::vector<size_t>> RequireColumns(const CsvTable& table, const std::vector<std::string_view>& names) {
  std::vector<size_t> columns;
  for (std::string_view name : names) {
    std::optional<size_t> c = table.ColumnIndex(name);
    if (!c) {
      return Error::InvalidArgument(table.source_name() + ":1: missing column \"" + std::string(name) + "\"");
    }
    columns.push_back(*c);
  }
  return columns;
}

// Column order of instance-types.csv as data/aws/README.md lists it; the slot
// enum below follows it.
const std::vector<std::string_view>& TypeColumns() {
  static const std::vector<std::string_view> kColumns = {
      "instance_type", "family", "category", "generation", "size", "arch", "vcpu", "memory_mib",
      "gpu_count", "gpu_name", "gpu_manufacturer", "gpu_memory_mib", "accelerator_count", "accelerator_name",
      "local_nvme_gib", "network_bandwidth_mbps", "efa_max_interfaces", "max_enis", "ipv4_per_eni",
      "ipv6_per_eni", "hypervisor", "od_price_usd_hr", "spot_savings_pct", "spot_interruption_band",
      "accelerator_manufacturer", "neuron_core_count", "gpu_partition_size", "max_enis_default_card",
      "bare_metal", "in_latest_ec2_snapshot",
  };
  return kColumns;
}

enum TypeSlot : size_t {
  kName, kFamily, kCategory, kGeneration, kSize, kArch, kVcpu, kMemoryMib,
  kGpuCount, kGpuName, kGpuManufacturer, kGpuMemoryMib, kAcceleratorCount, kAcceleratorName,
  kLocalNvme, kNetworkBandwidth, kEfaMaxInterfaces, kMaxEnis, kIpv4PerEni,
  kIpv6PerEni, kHypervisor, kOdPrice, kSpotSavings, kSpotBand,
  kAcceleratorManufacturer, kNeuronCoreCount, kGpuPartitionSize, kMaxEnisDefaultCard,
  kBareMetal, kInLatestSnapshot,
};

Result<InstanceTypeInfo> ParseTypeRow(const CsvTable& table, const CsvRecord& record,
                                      const std::vector<size_t>& columns) {
  RowReader r(table, record, columns);
  InstanceTypeInfo t;
  t.instance_type = r.String(kName, false);
  t.family = r.String(kFamily, false);
  t.category = r.String(kCategory, false);
  t.generation = r.RequiredInt<int32_t>(kGeneration, 0);
  t.size = r.String(kSize, false);
  t.arch = r.String(kArch, false);
  if (!r.error() && t.arch != "amd64" && t.arch != "arm64") r.Fail(kArch, "expected amd64 or arm64, got \"" + t.arch + "\"");
  t.vcpu = r.RequiredInt<int32_t>(kVcpu, 1);
  t.memory_mib = r.RequiredInt<int64_t>(kMemoryMib, 1);
  t.gpu_count = r.RequiredInt<int32_t>(kGpuCount, 0);
  t.gpu_name = r.String(kGpuName, true);
  t.gpu_manufacturer = r.String(kGpuManufacturer, true);
  t.gpu_memory_mib = r.OptionalInt<int64_t>(kGpuMemoryMib, 0);
  t.accelerator_count = r.RequiredInt<int32_t>(kAcceleratorCount, 0);
  t.accelerator_name = r.String(kAcceleratorName, true);
  t.local_nvme_gb = r.RequiredInt<int64_t>(kLocalNvme, 0);
  t.network_bandwidth_mbps = r.OptionalInt<int64_t>(kNetworkBandwidth, 0);
  t.efa_max_interfaces = r.RequiredInt<int32_t>(kEfaMaxInterfaces, 0);
  t.max_enis = r.RequiredInt<int32_t>(kMaxEnis, 0);
  t.ipv4_per_eni = r.RequiredInt<int32_t>(kIpv4PerEni, 0);
  t.ipv6_per_eni = r.RequiredInt<int32_t>(kIpv6PerEni, 0);
  t.hypervisor = r.String(kHypervisor, true);
  t.od_price_usd_hr = r.OptionalDouble(kOdPrice, 0, 1e6);
  t.spot_savings_pct = r.OptionalDouble(kSpotSavings, 0, 100);
  t.spot_interruption_band = r.OptionalInt<int32_t>(kSpotBand, 0);
  if (!r.error() && t.spot_interruption_band && *t.spot_interruption_band > 4) {
    r.Fail(kSpotBand, "expected 0..4, got " + r.Cell(kSpotBand));
  }
  t.accelerator_manufacturer = r.String(kAcceleratorManufacturer, true);
  t.neuron_core_count = r.OptionalInt<int32_t>(kNeuronCoreCount, 0);
  t.gpu_partition_size = r.OptionalDouble(kGpuPartitionSize, 0, 1);
  t.max_enis_default_card = r.RequiredInt<int32_t>(kMaxEnisDefaultCard, 0);
  t.bare_metal = r.Bool(kBareMetal);
  t.in_latest_ec2_snapshot = r.Bool(kInLatestSnapshot);
  if (!r.error() && t.gpu_count > 0 && (t.gpu_name.empty() || t.gpu_manufacturer.empty())) {
    r.Fail(t.gpu_name.empty() ? kGpuName : kGpuManufacturer, "empty although gpu_count is " +
                                                                  std::to_string(t.gpu_count));
  }
  if (!r.error() && t.max_enis_default_card > t.max_enis) {
    r.Fail(kMaxEnisDefaultCard, "larger than max_enis (" + std::to_string(t.max_enis) + ")");
  }
  if (r.error()) return *r.error();
  return t;
}

}  // namespace

Result<Catalog> Catalog::FromCsv(std::string_view types_csv, std::string_view zones_csv,
                                 std::string_view source_name) {
  const std::string prefix = source_name.empty() ? std::string() : std::string(source_name) + "/";
  return FromCsvFiles(types_csv, zones_csv, prefix + std::string(kTypesFile), prefix + std::string(kZonesFile),
                      source_name);
}

Result<Catalog> Catalog::FromCsvFiles(std::string_view types_csv, std::string_view zones_csv,
                                      const std::string& types_name, const std::string& zones_name,
                                      std::string_view source_name) {
  Catalog catalog;
  catalog.source_name_ = std::string(source_name);

  // Instance types.
  Result<CsvTable> types = CsvTable::Parse(types_csv, types_name);
  if (!types.ok()) return types.error();
  Result<std::vector<size_t>> type_columns = RequireColumns(*types, TypeColumns());
  if (!type_columns.ok()) return type_columns.error();
  std::map<std::string, int, std::less<>> first_line;  // instance type -> line, for duplicate errors
  for (const CsvRecord& record : types->records()) {
    Result<InstanceTypeInfo> t = ParseTypeRow(*types, record, *type_columns);
    if (!t.ok()) return t.error();
    auto [it, inserted] = first_line.emplace(t->instance_type, record.line);
    if (!inserted) {
      return Error::InvalidArgument(types->Where(record.line, (*type_columns)[kName]) + "duplicate instance type \"" +
                                    t->instance_type + "\" (first on line " + std::to_string(it->second) + ")");
    }
    catalog.types_.push_back(std::move(t).value());
  }
  std::sort(catalog.types_.begin(), catalog.types_.end(),
            [](const InstanceTypeInfo& a, const InstanceTypeInfo& b) { return a.instance_type < b.instance_type; });

  // Zones.
  Result<CsvTable> zones = CsvTable::Parse(zones_csv, zones_name);
  if (!zones.ok()) return zones.error();
  Result<std::vector<size_t>> zone_columns = RequireColumns(*zones, {"instance_type", "zone", "zone_id", "as_of"});
  if (!zone_columns.ok()) return zone_columns.error();
  const std::vector<size_t>& zc = *zone_columns;
  std::map<std::string, std::string, std::less<>> zone_ids;  // zone name -> id
  std::map<std::string, int, std::less<>> seen;              // "type zone" -> line
  for (const CsvRecord& record : zones->records()) {
    const std::string& type_name = record.fields[zc[0]];
    const std::string& zone = record.fields[zc[1]];
    const std::string& zone_id = record.fields[zc[2]];
    const std::string& as_of = record.fields[zc[3]];
    for (size_t slot = 0; slot < 3; ++slot) {
      if (record.fields[zc[slot]].empty()) return Error::InvalidArgument(zones->Where(record.line, zc[slot]) + "empty cell");
    }
    auto type_it = std::lower_bound(catalog.types_.begin(), catalog.types_.end(), type_name,
                                    [](const InstanceTypeInfo& t, const std::string& n) { return t.instance_type < n; });
    if (type_it == catalog.types_.end() || type_it->instance_type != type_name) {
      return Error::InvalidArgument(zones->Where(record.line, zc[0]) + "unknown instance type \"" + type_name +
                                    "\" (not in " + std::string(kTypesFile) + ")");
    }
    auto [id_it, new_zone] = zone_ids.emplace(zone, zone_id);
    if (!new_zone && id_it->second != zone_id) {
      return Error::InvalidArgument(zones->Where(record.line, zc[2]) + "zone " + zone + " has id " + zone_id +
                                    " here but " + id_it->second + " on an earlier line");
    }
    auto [seen_it, new_pair] = seen.emplace(type_name + " " + zone, record.line);
    if (!new_pair) {
      return Error::InvalidArgument(zones->Where(record.line, zc[1]) + "duplicate row for " + type_name + " in " +
                                    zone + " (first on line " + std::to_string(seen_it->second) + ")");
    }
    type_it->zones.push_back(TypeZone{zone, zone_id, as_of});
  }
  for (InstanceTypeInfo& t : catalog.types_) {
    std::sort(t.zones.begin(), t.zones.end(), [](const TypeZone& a, const TypeZone& b) { return a.zone < b.zone; });
  }
  for (const auto& [name, id] : zone_ids) catalog.all_zones_.push_back(Zone{name, id});
  return catalog;
}

const Catalog& Catalog::Embedded() {
  static const Catalog* const kCatalog = [] {
    Result<Catalog> c = FromCsv(EmbeddedInstanceTypesCsv(), EmbeddedZonesCsv(), EmbeddedDataSource());
    if (!c.ok()) {
      std::fprintf(stderr, "embedded instance-type catalog is invalid: %s\n", c.error().message.c_str());
    }
    ADZE_CHECK(c.ok());
    return new Catalog(std::move(c).value());
  }();
  return *kCatalog;
}

const InstanceTypeInfo* Catalog::Find(std::string_view instance_type) const {
  auto it = std::lower_bound(types_.begin(), types_.end(), instance_type,
                             [](const InstanceTypeInfo& t, std::string_view n) { return t.instance_type < n; });
  if (it == types_.end() || it->instance_type != instance_type) return nullptr;
  return &*it;
}

const std::vector<TypeZone>& Catalog::Zones(std::string_view instance_type) const {
  static const std::vector<TypeZone>* const kNone = new std::vector<TypeZone>();
  const InstanceTypeInfo* t = Find(instance_type);
  return t ? t->zones : *kNone;
}

}  // namespace adze::catalog
