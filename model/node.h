// Node: a Kubernetes Node as the scheduler sees it. Thread-safety: value type.
#pragma once

#include <string>
#include <vector>

#include "model/object_meta.h"
#include "model/resource_list.h"
#include "model/taint.h"

namespace adze::model {

struct Node {
  ObjectMeta meta;  // meta.labels are the node labels
  std::vector<Taint> taints;
  ResourceList capacity;
  ResourceList allocatable;
  std::string provider_id;  // aws:///<zone>/<instance-id>
  bool unschedulable = false;
  bool ready = true;
};

}  // namespace adze::model
