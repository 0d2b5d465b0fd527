#include "controllers/daemon_overhead.h"

#include "model/requirements.h"
#include "scheduling/template.h"

namespace adze::controllers {

std::vector<const model::DaemonSet*> DaemonsOn(const std::vector<model::DaemonSet>& daemon_sets,
                                               const model::NodePool& pool, const model::Labels& node_labels) {
  std::vector<const model::DaemonSet*> out;
  if (daemon_sets.empty()) return out;
  const model::Requirements node = model::Requirements::FromLabels(node_labels);
  for (const model::DaemonSet& ds : daemon_sets) {
    if (scheduling::DaemonRunsOn(ds, pool, node)) out.push_back(&ds);
  }
  return out;
}

model::ResourceList DaemonOverhead(const std::vector<model::DaemonSet>& daemon_sets, const model::NodePool& pool,
                                   const model::Labels& node_labels) {
  model::ResourceList overhead;
  for (const model::DaemonSet* ds : DaemonsOn(daemon_sets, pool, node_labels)) {
    overhead.Add(ds->pod_template.EffectiveRequests());
  }
  return overhead;
}

}  // namespace adze::controllers
