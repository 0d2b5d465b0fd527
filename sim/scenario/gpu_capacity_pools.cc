#include "sim/scenario/gpu_capacity_pools.h"

#include <set>
#include <string>

namespace adze::sim {

bool IsScarceGpuFamily(const catalog::InstanceTypeInfo& info) {
  return info.category == "p" || info.family == "dl1";
}

std::vector<CapacityPool> CalibratedGpuPools(const catalog::Catalog& catalog, GpuPoolSizes sizes) {
  std::set<std::string> families;  // ordered: the pools come out the same on every run
  std::set<std::string> scarce;
  for (const catalog::InstanceTypeInfo& info : catalog.types()) {
    // gpu_name too: fractional GPU types (g6f, gr6f) have gpu_count 0.
    if (info.gpu_count == 0 && info.gpu_name.empty()) continue;
    families.insert(info.family);
    if (IsScarceGpuFamily(info)) scarce.insert(info.family);
  }
  std::vector<CapacityPool> pools;
  for (const std::string& family : families) {
    const bool is_scarce = scarce.contains(family);
    // "g5.*", not "g5*": the latter would also match g5g.
    pools.push_back(CapacityPool{family + ".*", "", "spot", is_scarce ? sizes.scarce_spot : sizes.gpu_spot});
    pools.push_back(
        CapacityPool{family + ".*", "", "on-demand", is_scarce ? sizes.scarce_on_demand : sizes.gpu_on_demand});
  }
  return pools;
}

}  // namespace adze::sim
