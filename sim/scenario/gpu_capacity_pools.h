// Calibrated default capacity pools for GPU instance types (issue 16).
//
// EC2 publishes no pool sizes. A scenario's flat `ec2.defaultPoolSize` (200
// instances per type × zone × capacity type) let a 4,000-node GPU spot burst
// launch with no insufficient-capacity error, which real users never see.
// These defaults size GPU pools from the public evidence collected in
// data/sim-calibration.md ("Spot", "GPU capacity pools"): single-instance
// InsufficientInstanceCapacity reports for g4dn spot, g5 on-demand and p4d
// on-demand, AWS selling p4d/p5 capacity ahead of time (Capacity Blocks),
// and the Spot placement score's low default target capacity. The figures
// are an assumption grounded in those sources, not measurements; a
// scenario's own `ec2.pools` entries come after these and win, and a
// scenario that sets `ec2.defaultPoolSize` sizes every pool itself (these
// are not added).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "catalog/catalog.h"
#include "sim/scenario.h"

namespace adze::sim {

// Instances per type and zone.
struct GpuPoolSizes {
  int32_t gpu_spot = 8;        // g-class and other GPU families, spot
  int32_t gpu_on_demand = 64;  // g-class, on-demand
  int32_t scarce_spot = 2;     // p-class (and dl1): sold ahead as Capacity Blocks
  int32_t scarce_on_demand = 4;
};

// Whether the type is in the scarce class (p-class, dl1).
bool IsScarceGpuFamily(const catalog::InstanceTypeInfo& info);

// One spot and one on-demand pool per GPU family of the catalog, as prefix
// patterns ("g5.*"), in family order. Types without a GPU get none.
std::vector<CapacityPool> CalibratedGpuPools(const catalog::Catalog& catalog, GpuPoolSizes sizes = {});

}  // namespace adze::sim
