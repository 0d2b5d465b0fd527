#include "adapters/aws/live_catalog.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "providers/aws/errors.h"

namespace adze::adapters::aws {

using providers::aws::ToError;

Result<LiveCatalog> BuildLiveCatalog(const providers::aws::Ec2Api& api, const catalog::Catalog& embedded,
                                     const LiveCatalogOptions& options) {
  auto progress = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  LiveCatalog out;

  progress("DescribeInstanceTypes, DescribeInstanceTypeOfferings, DescribeAvailabilityZones ...");
  auto types = api.DescribeInstanceTypes();
  if (!types.IsSuccess()) {
    Error e = ToError(types.GetError());
    e.message = "DescribeInstanceTypes: " + e.message;
    return e;
  }
  std::set<std::string> families;
  for (const auto& t : embedded.types()) families.insert(t.family);
  size_t listed = 0;
  for (auto t : types.GetResult().instance_types) {
    ++listed;
    if (!options.all_types && !families.contains(t.family)) continue;
    if (t.arch.empty() || t.vcpu < 1 || t.memory_mib < 1) {
      ++out.skipped;
      continue;
    }
    out.types.push_back(std::move(t));
  }
  size_t zoned = 0;
  for (const auto& t : out.types) zoned += t.zones.empty() ? 0 : 1;
  progress("  " + std::to_string(listed) + " types listed, " + std::to_string(out.types.size()) + " kept" +
           (options.all_types ? "" : " (the embedded catalog's families)") + ", " + std::to_string(zoned) +
           " offered in at least one zone");

  progress("Pricing GetProducts (on-demand, Linux, shared tenancy) ...");
  std::map<std::string, double> od;
  std::string od_failure;
  if (auto p = api.GetOnDemandPrices(); p.IsSuccess()) {
    od = p.GetResult().usd_per_hour;
    progress("  " + std::to_string(od.size()) + " on-demand prices");
  } else {
    od_failure = ToError(p.GetError()).message;
    progress("  failed: " + od_failure);
  }

  progress("DescribeSpotPriceHistory (Linux/UNIX, now) ...");
  std::map<std::string, std::vector<double>> spot;
  std::string spot_failure;
  if (auto s = api.DescribeSpotPriceHistory(); s.IsSuccess()) {
    for (const auto& p : s.GetResult().prices) spot[p.instance_type].push_back(p.spot_price);
    progress("  " + std::to_string(s.GetResult().prices.size()) + " spot prices (type x zone)");
  } else {
    spot_failure = ToError(s.GetError()).message;
    progress("  failed: " + spot_failure);
  }

  int od_fallback = 0, od_missing = 0, spot_fallback = 0, band_fallback = 0, bw_fallback = 0, bw_api = 0;
  for (auto& t : out.types) {
    const catalog::InstanceTypeInfo* e = embedded.Find(t.instance_type);
    t.od_price_usd_hr.reset();
    if (auto it = od.find(t.instance_type); it != od.end()) {
      t.od_price_usd_hr = it->second;
    } else if (e && e->od_price_usd_hr) {
      t.od_price_usd_hr = e->od_price_usd_hr;
      ++od_fallback;
    } else {
      ++od_missing;
    }
    t.spot_savings_pct.reset();
    if (auto it = spot.find(t.instance_type); it != spot.end() && t.od_price_usd_hr && *t.od_price_usd_hr > 0) {
      double mean = 0;
      for (double v : it->second) mean += v;
      mean /= static_cast<double>(it->second.size());
      t.spot_savings_pct = std::clamp(std::round(100.0 * (1.0 - mean / *t.od_price_usd_hr)), 0.0, 100.0);
    } else if (e && e->spot_savings_pct) {
      t.spot_savings_pct = e->spot_savings_pct;
      ++spot_fallback;
    }
    t.spot_interruption_band = e ? e->spot_interruption_band : std::nullopt;
    if (t.spot_interruption_band) ++band_fallback;
    if (e && e->network_bandwidth_mbps) {
      t.network_bandwidth_mbps = e->network_bandwidth_mbps;
      ++bw_fallback;
    } else if (t.network_bandwidth_mbps) {
      ++bw_api;
    }
    if (t.gpu_partition_size == std::nullopt && e) t.gpu_partition_size = e->gpu_partition_size;
  }
  auto note = [&](const std::string& field, int n, const std::string& why) {
    if (n > 0) out.fallbacks.push_back(field + ": " + std::to_string(n) + " types from the embedded catalog (" + why + ")");
  };
  note("od_price_usd_hr", od_fallback,
       od_failure.empty() ? "Pricing GetProducts had no price for them" : "Pricing GetProducts failed: " + od_failure);
  if (od_missing > 0) {
    out.fallbacks.push_back("od_price_usd_hr: " + std::to_string(od_missing) + " types have no price at all");
  }
  note("spot_savings_pct", spot_fallback,
       spot_failure.empty() ? "no live spot price" : "DescribeSpotPriceHistory failed: " + spot_failure);
  note("spot_interruption_band", band_fallback, "Spot Advisor data; no API serves it");
  note("network_bandwidth_mbps", bw_fallback, "Karpenter's documented baselines; the API's own for " +
                                                   std::to_string(bw_api) + " other types");
  std::sort(out.types.begin(), out.types.end(),
            [](const auto& a, const auto& b) { return a.instance_type < b.instance_type; });
  return out;
}

}  // namespace adze::adapters::aws
