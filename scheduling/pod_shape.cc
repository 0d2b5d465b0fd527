#include "scheduling/pod_shape.h"

namespace adze::scheduling {

std::string PodShapeKey(const model::Pod& pod) {
  std::string key = pod.EffectiveRequests().ToString();
  key += "|t:";
  for (const auto& t : pod.tolerations) {
    key += t.key + (t.op == model::Toleration::Op::kExists ? "?" : "=") + t.value + ":" +
           (t.effect ? std::string(model::TaintEffectName(*t.effect)) : "*") + ",";
  }
  key += "|s:";
  for (const auto& [k, v] : pod.node_selector) key += k + "=" + v + ",";
  key += "|a:";
  for (const auto& term : pod.required_node_affinity) key += term.ToString() + ";";
  key += "|p:";
  for (const auto& p : pod.HostPorts()) key += std::to_string(p.host_port) + "/" + p.protocol + ",";
  return key;
}

}  // namespace adze::scheduling
