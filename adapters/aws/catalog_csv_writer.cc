#include "adapters/aws/catalog_csv_writer.h"

#include <cstdio>

namespace adze::adapters::aws {
namespace {

std::string Cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

template <typename T>
std::string Opt(const std::optional<T>& v) {
  if (!v) return "";
  if constexpr (std::is_floating_point_v<T>) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", *v);
    return buf;
  } else {
    return std::to_string(*v);
  }
}

}  // namespace

std::string InstanceTypesCsv(const std::vector<catalog::InstanceTypeInfo>& rows) {
  std::string out =
      "instance_type,family,category,generation,size,arch,vcpu,memory_mib,gpu_count,gpu_name,gpu_manufacturer,"
      "gpu_memory_mib,accelerator_count,accelerator_name,local_nvme_gib,network_bandwidth_mbps,efa_max_interfaces,"
      "max_enis,ipv4_per_eni,ipv6_per_eni,hypervisor,od_price_usd_hr,spot_savings_pct,spot_interruption_band,"
      "accelerator_manufacturer,neuron_core_count,gpu_partition_size,max_enis_default_card,bare_metal,"
      "in_latest_ec2_snapshot\n";
  for (const auto& t : rows) {
    const std::vector<std::string> cells = {
        Cell(t.instance_type), Cell(t.family), Cell(t.category), std::to_string(t.generation), Cell(t.size),
        Cell(t.arch), std::to_string(t.vcpu), std::to_string(t.memory_mib), std::to_string(t.gpu_count),
        Cell(t.gpu_name), Cell(t.gpu_manufacturer), Opt(t.gpu_memory_mib), std::to_string(t.accelerator_count),
        Cell(t.accelerator_name), std::to_string(t.local_nvme_gb), Opt(t.network_bandwidth_mbps),
        std::to_string(t.efa_max_interfaces), std::to_string(t.max_enis), std::to_string(t.ipv4_per_eni),
        std::to_string(t.ipv6_per_eni), Cell(t.hypervisor), Opt(t.od_price_usd_hr), Opt(t.spot_savings_pct),
        Opt(t.spot_interruption_band), Cell(t.accelerator_manufacturer), Opt(t.neuron_core_count),
        Opt(t.gpu_partition_size), std::to_string(t.max_enis_default_card), t.bare_metal ? "true" : "false",
        t.in_latest_ec2_snapshot ? "true" : "false"};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
    out += '\n';
  }
  return out;
}

std::string ZonesCsv(const std::vector<catalog::InstanceTypeInfo>& rows) {
  std::string out = "instance_type,zone,zone_id,as_of\n";
  for (const auto& t : rows) {
    for (const auto& z : t.zones) {
      out += Cell(t.instance_type) + "," + Cell(z.zone) + "," + Cell(z.zone_id) + "," + Cell(z.as_of) + "\n";
    }
  }
  return out;
}

}  // namespace adze::adapters::aws
