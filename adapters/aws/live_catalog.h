// BuildLiveCatalog: the instance-type catalog from the live APIs, for
// `adze catalog --from-aws`: types and their hardware (DescribeInstanceTypes),
// zones (DescribeInstanceTypeOfferings), on-demand prices (Price List
// GetProducts) and spot prices (DescribeSpotPriceHistory), over any Ec2Api.
//
// Figures no API gives, or that a call failed to give, come from the
// embedded catalog, and the result says which:
//   - spot_interruption_band: Spot Advisor only (no API) — always embedded;
//   - network_bandwidth_mbps: Karpenter's documented baseline (embedded)
//     when known, else the sum of the network cards' baselineBandwidthInGbps;
//   - od_price_usd_hr: embedded when Pricing failed or lacks the type;
//   - spot_savings_pct: 100 × (1 − mean spot price over zones / on-demand)
//     from the live spot prices; embedded when they are missing.
// By default only the families the embedded catalog covers are kept (its
// scope, data/aws/README.md); all_types keeps every type.
// Thread-safety: none needed (a one-shot function).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "model/result.h"
#include "providers/aws/ec2_api.h"

namespace adze::adapters::aws {

struct LiveCatalogOptions {
  bool all_types = false;
  std::function<void(const std::string&)> progress;  // one line per step; may be empty
};

struct LiveCatalog {
  std::vector<catalog::InstanceTypeInfo> types;  // sorted by name
  // "od_price_usd_hr: 37 types from the embedded catalog (Pricing GetProducts failed: ...)", ...
  std::vector<std::string> fallbacks;
  int skipped = 0;  // types dropped (no amd64/arm64 architecture)
};

// Errors: DescribeInstanceTypes failing is fatal (the figures would all be
// embedded ones); price calls failing only add fallbacks.
Result<LiveCatalog> BuildLiveCatalog(const providers::aws::Ec2Api& api, const catalog::Catalog& embedded,
                                     const LiveCatalogOptions& options);

}  // namespace adze::adapters::aws
