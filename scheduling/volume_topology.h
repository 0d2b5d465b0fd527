// VolumeTopology: where a pod's PersistentVolumeClaims let it run (spec §2.7
// "Volumes"; Karpenter's volumetopology.go). Each claim gives alternatives,
// ORed: a bound claim its PersistentVolume's node-affinity terms, an unbound
// WaitForFirstConsumer claim its StorageClass's allowedTopologies. Over
// several claims the alternatives are crossed, and combinations that cannot
// hold together are dropped. The result constrains the node the pod lands
// on, not the pod's own requirements, so topology-spread counting is as
// without volumes.
//
// A pod whose claims cannot be provisioned for gets an error instead (as
// Karpenter's volume validation leaves such pods alone): a missing claim,
// volume or StorageClass, an unbound claim without a class or whose class
// binds Immediately, something being deleted, or volumes whose topologies do
// not overlap.
// Thread-safety: immutable after construction; For may run concurrently.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/pod.h"
#include "model/requirements.h"
#include "model/storage.h"

namespace adze::scheduling {

struct VolumeRequirements {
  // ORed alternatives, each to be added to the node's requirements; empty
  // when the pod's volumes do not constrain the node.
  std::vector<model::Requirements> alternatives;
  std::string error;  // non-empty: the pod cannot be placed, and why
};

class VolumeTopology {
 public:
  // REQUIRES: the vectors outlive this object.
  VolumeTopology(const std::vector<model::PersistentVolumeClaim>& claims,
                 const std::vector<model::PersistentVolume>& volumes,
                 const std::vector<model::StorageClass>& classes);

  // The pod's volume requirements (Pod::volume_claims, in its namespace).
  VolumeRequirements For(const model::Pod& pod) const;

 private:
  // One claim's alternatives (empty: no constraint), or an error.
  VolumeRequirements ForClaim(const std::string& namespace_, const std::string& name) const;

  std::map<std::pair<std::string, std::string>, const model::PersistentVolumeClaim*> claims_;
  std::map<std::string, const model::PersistentVolume*, std::less<>> volumes_;
  std::map<std::string, const model::StorageClass*, std::less<>> classes_;
};

}  // namespace adze::scheduling
