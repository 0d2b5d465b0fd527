#include "controllers/daemon_overhead.h"

#include "model/requirements.h"
#include "scheduling/template.h"

namespace adze::controllers {

model::ResourceList DaemonOverhead(const std::vector<model::DaemonSet>& daemon_sets, const model::NodePool& pool,
                                   const model::Labels& node_labels) {
  model::ResourceList overhead;
  if (daemon_sets.empty()) return overhead;
  const model::Requirements node = model::Requirements::FromLabels(node_labels);
  for (const model::DaemonSet& ds : daemon_sets) {
    if (scheduling::DaemonRunsOn(ds, pool, node)) overhead.Add(ds.pod_template.EffectiveRequests());
  }
  return overhead;
}

}  // namespace adze::controllers
