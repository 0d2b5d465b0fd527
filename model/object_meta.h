// ObjectMeta: the part of metadata adze uses. Thread-safety: value type.
#pragma once

#include <optional>
#include <string>

#include "model/duration.h"
#include "model/labels.h"

namespace adze::model {

struct OwnerReference {
  std::string kind;  // Deployment, ReplicaSet, Job, DaemonSet, StatefulSet, NodePool, ...
  std::string name;
  bool controller = true;
  friend bool operator==(const OwnerReference&, const OwnerReference&) = default;
};

struct ObjectMeta {
  std::string name;
  std::string namespace_;  // empty for cluster-scoped objects
  std::string uid;
  Labels labels;
  Annotations annotations;
  std::optional<OwnerReference> owner;
  // Microseconds since the epoch of the run (SimTime), 0 when unknown.
  Duration creation_time = 0;
  bool deleting = false;  // deletionTimestamp set
  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

}  // namespace adze::model
