#include "model/codec/node_decoder.h"

#include "model/codec/core_decoders.h"

namespace adze::codec {

model::Node DecodeNode(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec", "status"});
  model::Node out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kCluster);

  YamlField spec = object["spec"];
  spec.CheckFields({"taints", "providerID", "unschedulable"},
                   {"podCIDR", "podCIDRs", "configSource", "externalID"});
  for (const YamlField& t : spec["taints"].Items()) out.taints.push_back(DecodeTaint(t));
  out.provider_id = spec["providerID"].StringOr("");
  out.unschedulable = spec["unschedulable"].BoolOr(false);

  YamlField status = object["status"];
  status.CheckFields({"capacity", "allocatable", "conditions"},
                     {"addresses", "daemonEndpoints", "nodeInfo", "images", "volumesInUse", "volumesAttached",
                      "phase", "config", "runtimeHandlers", "features", "declaredFeatures"});
  out.capacity = status["capacity"].ResourceList();
  // The kubelet reports allocatable; a hand-written node may give only capacity.
  out.allocatable = status["allocatable"].present() ? status["allocatable"].ResourceList() : out.capacity;
  for (const YamlField& cond : status["conditions"].Items()) {
    cond.CheckFields({"type", "status"}, {"reason", "message", "lastHeartbeatTime", "lastTransitionTime"});
    if (cond["type"].String() == "Ready") out.ready = cond["status"].String() == "True";
  }
  return out;
}

}  // namespace adze::codec
