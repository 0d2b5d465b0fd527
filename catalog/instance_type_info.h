// InstanceTypeInfo: one row of data/aws/instance-types.csv, typed, plus the
// zones of zones-us-east-1.csv that offer the type. Column meanings, units and
// sources are in data/aws/README.md; member names follow the column names.
// A cell that the README allows to be empty is an std::optional (numbers) or
// an empty string (names).
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace adze::catalog {

// An availability zone: its account-specific name and its physical id.
struct Zone {
  std::string name;  // us-east-1a
  std::string id;    // use1-az2
  friend bool operator==(const Zone&, const Zone&) = default;
};

// One row of zones-us-east-1.csv: the type is offered in this zone.
struct TypeZone {
  std::string zone;     // us-east-1a
  std::string zone_id;  // use1-az2
  std::string as_of;    // date of the offerings dump the row comes from (YYYY-MM-DD)
  friend bool operator==(const TypeZone&, const TypeZone&) = default;
};

struct InstanceTypeInfo {
  std::string instance_type;  // p5.48xlarge
  std::string family;         // p5
  std::string category;       // p
  int32_t generation = 0;     // 5
  std::string size;           // 48xlarge
  std::string arch;           // amd64 | arm64
  int32_t vcpu = 0;           // default vCPUs
  int64_t memory_mib = 0;
  int32_t gpu_count = 0;          // 0 without GPU, and for fractional g6f/gr6f
  std::string gpu_name;           // lower-kebab (t4, a10g, h100); empty without GPU
  std::string gpu_manufacturer;   // nvidia | amd | habana; empty without GPU
  std::optional<int64_t> gpu_memory_mib;  // per GPU (per slice for fractional types)
  int32_t accelerator_count = 0;  // Neuron devices or inference accelerators
  std::string accelerator_name;   // inferentia, trainium2, ...; empty without
  // Column local_nvme_gib. Despite the name it holds EC2's TotalSizeInGB (decimal
  // GB, not converted; data/aws/README.md). 0 = no NVMe instance store.
  int64_t local_nvme_gb = 0;
  std::optional<int64_t> network_bandwidth_mbps;  // documented baseline, Mbit/s
  int32_t efa_max_interfaces = 0;
  int32_t max_enis = 0;  // over all network cards
  int32_t ipv4_per_eni = 0;
  int32_t ipv6_per_eni = 0;
  std::string hypervisor;  // nitro | xen; empty for bare metal
  std::optional<double> od_price_usd_hr;           // us-east-1 Linux on-demand
  std::optional<double> spot_savings_pct;          // Spot Advisor, 0..100
  std::optional<int32_t> spot_interruption_band;   // 0 (<5%) .. 4 (>20%)
  std::string accelerator_manufacturer;            // aws | qualcomm; empty without
  std::optional<int32_t> neuron_core_count;        // total NeuronCores
  std::optional<double> gpu_partition_size;        // 1 = whole GPU; 0.125..0.5 fractional
  int32_t max_enis_default_card = 0;               // what max-pods is computed from
  bool bare_metal = false;
  bool in_latest_ec2_snapshot = true;  // false for retired families

  // From zones-us-east-1.csv, sorted by zone name. Empty when the region
  // offers the type nowhere.
  std::vector<TypeZone> zones;
};

}  // namespace adze::catalog
