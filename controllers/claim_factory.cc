#include "controllers/claim_factory.h"

#include <cstdint>

#include "model/labels.h"

namespace adze::controllers {

namespace label = model::label;

std::string NodePoolHash(const model::NodePool& pool) {
  std::string canonical;
  for (const auto& [k, v] : pool.template_labels) canonical += "l:" + k + "=" + v + ";";
  for (const auto& [k, v] : pool.template_annotations) canonical += "a:" + k + "=" + v + ";";
  for (const auto& t : pool.taints) canonical += "t:" + t.ToString() + ";";
  for (const auto& t : pool.startup_taints) canonical += "s:" + t.ToString() + ";";
  canonical += "c:" + pool.node_class_ref.group + "/" + pool.node_class_ref.kind + "/" + pool.node_class_ref.name;
  canonical += ";e:" + (pool.expire_after ? std::to_string(*pool.expire_after) : "never");
  canonical += ";g:" + (pool.termination_grace_period ? std::to_string(*pool.termination_grace_period) : "none");
  uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a
  for (unsigned char c : canonical) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return std::to_string(h);
}

model::NodeClaim MakeNodeClaim(const scheduling::NewClaim& planned, const model::NodePool& pool, std::string name) {
  model::NodeClaim claim;
  claim.meta.name = std::move(name);
  claim.meta.labels = pool.template_labels;
  claim.meta.labels[std::string(label::kNodePool)] = pool.meta.name;
  claim.meta.annotations = pool.template_annotations;
  claim.meta.annotations[std::string(kNodePoolHashAnnotation)] = NodePoolHash(pool);
  claim.taints = pool.taints;
  claim.startup_taints = pool.startup_taints;
  claim.requirements = planned.requirements;
  std::vector<std::string> types;
  types.reserve(planned.instance_types.size());
  for (const catalog::InstanceType* t : planned.instance_types) types.push_back(t->name);
  claim.requirements.Add(model::Requirement::In(std::string(label::kInstanceType), std::move(types)));
  if (!planned.zones.empty()) {
    claim.requirements.Add(model::Requirement::In(std::string(label::kZone), planned.zones));
  }
  if (!planned.capacity_types.empty()) {
    claim.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), planned.capacity_types));
  }
  claim.requests = planned.requests;
  claim.node_class_ref = pool.node_class_ref;
  claim.termination_grace_period = pool.termination_grace_period;
  claim.expire_after = pool.expire_after;
  return claim;
}

}  // namespace adze::controllers
