// Test helper (tests only): builds small instance-types.csv / zones CSV texts
// from a baseline row (m5.large's values) with per-column overrides.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace adze::catalog::testing {

inline const std::vector<std::pair<std::string, std::string>>& BaselineRow() {
  static const std::vector<std::pair<std::string, std::string>> kRow = {
      {"instance_type", "m5.large"}, {"family", "m5"}, {"category", "m"}, {"generation", "5"},
      {"size", "large"}, {"arch", "amd64"}, {"vcpu", "2"}, {"memory_mib", "8192"}, {"gpu_count", "0"},
      {"gpu_name", ""}, {"gpu_manufacturer", ""}, {"gpu_memory_mib", ""}, {"accelerator_count", "0"},
      {"accelerator_name", ""}, {"local_nvme_gib", "0"}, {"network_bandwidth_mbps", "750"},
      {"efa_max_interfaces", "0"}, {"max_enis", "3"}, {"ipv4_per_eni", "10"}, {"ipv6_per_eni", "10"},
      {"hypervisor", "nitro"}, {"od_price_usd_hr", "0.096"}, {"spot_savings_pct", "66"},
      {"spot_interruption_band", "3"}, {"accelerator_manufacturer", ""}, {"neuron_core_count", ""},
      {"gpu_partition_size", ""}, {"max_enis_default_card", "3"}, {"bare_metal", "false"},
      {"in_latest_ec2_snapshot", "true"},
  };
  return kRow;
}

// One CSV text: the header, then one line per entry of rows (each the
// baseline with the given cells replaced).
inline std::string TypesCsv(const std::vector<std::map<std::string, std::string>>& rows) {
  std::string out;
  for (size_t i = 0; i < BaselineRow().size(); ++i) out += (i ? "," : "") + BaselineRow()[i].first;
  out += "\n";
  for (const auto& overrides : rows) {
    for (size_t i = 0; i < BaselineRow().size(); ++i) {
      const auto& [column, value] = BaselineRow()[i];
      auto it = overrides.find(column);
      out += (i ? "," : "") + (it != overrides.end() ? it->second : value);
    }
    out += "\n";
  }
  return out;
}

inline std::string ZonesCsv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "instance_type,zone,zone_id,as_of\n";
  for (const auto& r : rows) out += r[0] + "," + r[1] + "," + r[2] + ",2026-08-01\n";
  return out;
}

}  // namespace adze::catalog::testing
