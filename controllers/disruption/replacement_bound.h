// ReplacementBound: a lower bound on what new nodes for some pods must cost,
// used to skip solver calls that could never find a cheaper replacement.
// For pods p and instance types t that can carry them (taints tolerated, the
// pool's and type's requirements compatible with the pod's, allocatable
// enough, cheapest offering price(t)):
//   LB = max( max_p min_t price(t),
//             max_r Σ_p request_r(p) × min_t price(t) / allocatable_r(t) )
// Per-pod-shape figures are cached across disruption passes; the cache is
// dropped when a NodePool changes.
// Thread-safety: none.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "catalog/instance_type.h"
#include "model/nodepool.h"
#include "model/pod.h"
#include "model/requirements.h"

namespace adze::controllers::disruption {

class ReplacementBound {
 public:
  struct PoolTypes {
    const model::NodePool* pool;
    const std::vector<catalog::InstanceType>* types;
  };

  // Call once per pass: pools() is asked for the pools (and their types) only
  // when a shape not yet cached must be computed; a different fingerprint
  // (the pools changed) drops the cache.
  void SetPools(std::function<std::vector<PoolTypes>()> pools, const std::string& pools_fingerprint);

  // The bound for new capacity carrying these pods (shape keys and pods in parallel).
  double For(const std::vector<std::pair<std::string, const model::Pod*>>& pods);

 private:
  struct Shape {
    double min_price = std::numeric_limits<double>::infinity();
    std::map<std::string, double> price_per_milli;  // min over types of price / allocatable_r (milli-units)
    model::ResourceList requests;
  };
  const Shape& ShapeOf(const std::string& key, const model::Pod& pod);

  void LoadPools();

  std::function<std::vector<PoolTypes>()> supplier_;
  bool loaded_ = false;
  std::vector<PoolTypes> pools_;
  std::vector<model::Requirements> pool_requirements_;
  std::string fingerprint_;
  std::map<std::string, Shape> shapes_;
};

}  // namespace adze::controllers::disruption
