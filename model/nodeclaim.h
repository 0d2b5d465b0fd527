// NodeClaim (karpenter.sh/v1): one requested machine (spec §1.2).
// Thread-safety: value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/duration.h"
#include "model/nodepool.h"
#include "model/object_meta.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/taint.h"

namespace adze::model {

struct NodeClaim {
  ObjectMeta meta;
  // spec
  std::vector<Taint> taints;
  std::vector<Taint> startup_taints;
  Requirements requirements;
  ResourceList requests;
  NodeClassRef node_class_ref;
  std::optional<Duration> termination_grace_period;
  std::optional<Duration> expire_after;
  // status
  std::string node_name;
  std::string provider_id;
  std::string image_id;
  ResourceList capacity;
  ResourceList allocatable;
  bool launched = false;
  bool registered = false;
  bool initialized = false;
  std::optional<std::string> drifted;  // drift reason
};

}  // namespace adze::model
