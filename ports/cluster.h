// Cluster: the Kubernetes state the controllers read and the mutations they
// may ask for (DESIGN.md, "the three interfaces"). The simulator implements it
// over its in-memory API objects; the Kubernetes adapter over a cache fed by
// watches and over API calls.
//
// Reads come as an immutable ClusterSnapshot: a controller pass works on one
// consistent view while the world moves on, and a watch never changes what a
// pass is looking at. A mutation is not visible in a snapshot taken before it.
//
// Every mutation returns a Status, as a real API server answers:
//   kNotFound       the object is gone (a pod finished, a claim was removed)
//   kConflict       UpdateNodeClaim with a stale resource_version: re-read, retry
//   kAlreadyExists  CreateNodeClaim with a name in use
//   kThrottled      client-side rate limit, or an eviction a PDB forbids now
//   kUnavailable, kDeadlineExceeded, kPermissionDenied   transport and auth
// Controllers handle each: retry on the next pass, requeue, or give up with
// an event (ports/README.md has the table).
// Thread-safety: implementations say; controllers call from one thread.
#pragma once

#include <memory>
#include <string>

#include "model/nodeclaim.h"
#include "model/result.h"
#include "model/taint.h"
#include "ports/cluster_objects.h"
#include "ports/cluster_snapshot.h"

namespace adze::ports {

class Cluster {
 public:
  virtual ~Cluster() = default;

  // --- reads
  // The state now. Cheap when nothing changed since the last call.
  virtual std::shared_ptr<const ClusterSnapshot> Snapshot() const = 0;

  // --- mutations
  // Creates the claim (its name must be unique: kAlreadyExists). Returns the name.
  virtual Result<std::string> CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) = 0;
  // Writes the claim's status fields (launched, provider id, capacity, ...).
  // kConflict when info.resource_version is not the current one.
  virtual Status UpdateNodeClaim(const NodeClaimInfo& info) = 0;
  // Starts the claim's deletion; the termination controller finishes it.
  // Requesting it again is not an error.
  virtual Status RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) = 0;
  // Removes the claim and its node (after termination: the finalizer is gone).
  virtual Status RemoveNodeClaim(const std::string& claim) = 0;
  virtual Status NominatePod(const std::string& pod, const std::string& claim) = 0;
  virtual Status TaintNode(const std::string& node, const model::Taint& taint) = 0;
  virtual Status RemoveTaint(const std::string& node, const std::string& key) = 0;
  // Eviction API: kThrottled when a PodDisruptionBudget forbids it now.
  virtual Status EvictPod(const std::string& pod) = 0;
  // Deletes the pod outright (past its node's termination deadline).
  virtual Status DeletePod(const std::string& pod) = 0;
};

}  // namespace adze::ports
