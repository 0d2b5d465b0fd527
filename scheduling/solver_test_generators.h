// RapidCheck generators shared by the solver's property tests: random
// instance types and pending pods over three zones (test_util's shapes).
// Thread-safety: call only inside a RapidCheck property.
#pragma once

#include <string>
#include <vector>

#include <rapidcheck.h>

#include "scheduling/solver_test_util.h"

namespace adze::scheduling::test_util {

inline const std::vector<std::string>& RandomZones() {
  static const std::vector<std::string> kZones = {"zone-a", "zone-b", "zone-c"};
  return kZones;
}

// Type t of pool p: 2 to 32 vCPUs, 0 to 8 GPUs, offered in a random
// non-empty subset of the zones.
inline catalog::InstanceType RandomType(int p, int t) {
  const int cpu = 1 << *rc::gen::inRange(1, 6);
  const int gpus = *rc::gen::element(0, 0, 1, 4, 8);
  std::vector<std::string> zones;
  for (const auto& z : RandomZones()) {
    if (*rc::gen::inRange(0, 3) > 0) zones.push_back(z);
  }
  if (zones.empty()) zones.push_back("zone-a");
  return Type("p" + std::to_string(p) + "-t" + std::to_string(t), cpu, cpu * 4, 8 * cpu,
              0.05 * cpu + 0.9 * gpus + 0.01 * t, zones, gpus);
}

// Pending pod i: 100m to 3.9 cpu, 256Mi to 3.75Gi, sometimes GPUs, a GPU
// toleration, a zone selector or a zone spread constraint.
inline model::Pod RandomPod(int i) {
  model::Pod pod = Pod("pod-" + std::to_string(i), std::to_string(*rc::gen::inRange(1, 40) * 100) + "m",
                       std::to_string(*rc::gen::inRange(1, 16) * 256) + "Mi",
                       *rc::gen::inRange(0, 4) == 0 ? std::to_string(*rc::gen::element(1, 2, 8)) : "");
  if (*rc::gen::inRange(0, 2) == 0) {
    pod.tolerations.push_back({"gpu", model::Toleration::Op::kExists, "", std::nullopt, std::nullopt});
  }
  if (*rc::gen::inRange(0, 4) == 0) {
    pod.node_selector["topology.kubernetes.io/zone"] = *rc::gen::elementOf(RandomZones());
  }
  if (*rc::gen::inRange(0, 5) == 0) {
    pod.meta.labels["app"] = "spread";
    model::TopologySpreadConstraint c;
    c.topology_key = "topology.kubernetes.io/zone";
    c.label_selector = model::LabelSelector{{{"app", "spread"}}, {}};
    if (*rc::gen::inRange(0, 2) == 0) {
      c.when_unsatisfiable = model::TopologySpreadConstraint::WhenUnsatisfiable::kScheduleAnyway;
    }
    pod.topology_spread.push_back(c);
  }
  return pod;
}

}  // namespace adze::scheduling::test_util
