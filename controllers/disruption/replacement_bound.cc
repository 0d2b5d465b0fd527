#include "controllers/disruption/replacement_bound.h"

#include <algorithm>

#include "model/labels.h"
#include "model/taint.h"

namespace adze::controllers::disruption {

void ReplacementBound::SetPools(std::function<std::vector<PoolTypes>()> pools, const std::string& pools_fingerprint) {
  supplier_ = std::move(pools);
  loaded_ = false;
  if (pools_fingerprint != fingerprint_) {
    shapes_.clear();
    fingerprint_ = pools_fingerprint;
  }
}

void ReplacementBound::LoadPools() {
  if (loaded_) return;
  loaded_ = true;
  pools_ = supplier_ ? supplier_() : std::vector<PoolTypes>{};
  pool_requirements_.clear();
  for (const PoolTypes& p : pools_) {
    model::Requirements reqs = p.pool->NodeRequirements();
    reqs.Add(model::Requirement::In(std::string(model::label::kNodePool), {p.pool->meta.name}));
    pool_requirements_.push_back(std::move(reqs));
  }
}

const ReplacementBound::Shape& ReplacementBound::ShapeOf(const std::string& key, const model::Pod& pod) {
  auto it = shapes_.find(key);
  if (it != shapes_.end()) return it->second;
  LoadPools();
  Shape shape;
  shape.requests = pod.EffectiveRequests();
  std::vector<model::Requirements> terms;
  model::Requirements selector = model::Requirements::FromLabels(pod.node_selector);
  if (pod.required_node_affinity.empty()) {
    terms.push_back(selector);
  } else {
    for (const auto& term : pod.required_node_affinity) {
      model::Requirements t = selector;
      t.Add(term);
      terms.push_back(std::move(t));
    }
  }
  for (size_t p = 0; p < pools_.size(); ++p) {
    if (model::FirstUntolerated(pools_[p].pool->taints, pod.tolerations)) continue;
    for (const catalog::InstanceType& type : *pools_[p].types) {
      if (type.requirements.Intersects(pool_requirements_[p])) continue;
      double price = std::numeric_limits<double>::infinity();
      for (const auto& o : type.offerings) {
        if (o.price_per_hour > 0) price = std::min(price, o.price_per_hour);
      }
      if (price == std::numeric_limits<double>::infinity()) continue;
      const model::ResourceList allocatable = type.Allocatable();
      if (!model::ResourceList::Fits(shape.requests, allocatable)) continue;
      model::Requirements node = pool_requirements_[p];
      node.Add(type.requirements);
      const bool compatible = std::any_of(terms.begin(), terms.end(),
                                          [&](const model::Requirements& t) { return !node.Compatible(t); });
      if (!compatible) continue;
      shape.min_price = std::min(shape.min_price, price);
      for (const auto& [name, q] : shape.requests) {
        const int64_t alloc = allocatable.Get(name).milli();
        if (q.milli() <= 0 || alloc <= 0) continue;
        const double per = price / static_cast<double>(alloc);
        auto [slot, inserted] = shape.price_per_milli.emplace(name, per);
        if (!inserted) slot->second = std::min(slot->second, per);
      }
    }
  }
  return shapes_.emplace(key, std::move(shape)).first->second;
}

double ReplacementBound::For(const std::vector<std::pair<std::string, const model::Pod*>>& pods) {
  double largest = 0;
  std::map<std::string, double> by_resource;
  for (const auto& [key, pod] : pods) {
    const Shape& s = ShapeOf(key, *pod);
    largest = std::max(largest, s.min_price);
    for (const auto& [name, per] : s.price_per_milli) {
      by_resource[name] += per * static_cast<double>(s.requests.Get(name).milli());
    }
  }
  double bound = largest;
  for (const auto& [name, total] : by_resource) bound = std::max(bound, total);
  return bound;
}

}  // namespace adze::controllers::disruption
