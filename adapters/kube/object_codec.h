// Kubernetes JSON codecs for the objects adze reads from and writes to an API
// server: Node, NodeClaim (karpenter.sh/v1) with the status the lifecycle
// controller keeps, Pod with the status the scheduler and kubelet keep, and
// the shared pieces (metadata, taints, requirements, resource lists).
//
// Decoding reuses the model's manifest decoders (model/codec) through
// JsonToYaml, so an object read from the API is validated exactly as the same
// object in a file; what those decoders ignore (status, resourceVersion) is
// read here. Encoding writes the API's spelling (camelCase fields, RFC 3339
// times, canonical quantities), so Decode(Encode(x)) == x for what the model
// holds.
//
// Where a ports:: field has no Kubernetes field, it rides on an annotation
// under adze.dev/ (price) or a condition (deletion reason), documented below.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/duration.h"
#include "model/node.h"
#include "model/nodeclaim.h"
#include "model/object_meta.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/result.h"
#include "model/taint.h"
#include "ports/cluster_objects.h"

namespace adze::kube {

inline constexpr std::string_view kTerminationFinalizer = "karpenter.sh/termination";
// NodeClaim annotation carrying the offering's price (USD per hour).
inline constexpr std::string_view kPriceAnnotation = "adze.dev/price-per-hour";
// NodeClaim status condition whose reason is the deletion reason (Karpenter
// v1 records the disruption reason as a condition too).
inline constexpr std::string_view kDisruptionReasonCondition = "DisruptionReason";

// RFC 3339 in UTC with second precision, as the API server writes
// metav1.Time ("2026-01-05T00:00:00Z"). t: microseconds since the Unix epoch.
std::string FormatTimestamp(model::Duration t);

nlohmann::json EncodeObjectMeta(const model::ObjectMeta& meta);
nlohmann::json EncodeTaint(const model::Taint& taint);
nlohmann::json EncodeResourceList(const model::ResourceList& list);
// NodeSelectorRequirements; a bounded range (Gt and Lt on one key) becomes two.
nlohmann::json EncodeRequirements(const model::Requirements& reqs);
Result<model::Requirements> DecodeRequirements(const nlohmann::json& list);

// core/v1 Node: metadata, spec (taints, providerID, unschedulable), status
// (capacity, allocatable, Ready condition).
nlohmann::json EncodeNode(const model::Node& node);
Result<model::Node> DecodeNode(const nlohmann::json& object);

// karpenter.sh/v1 NodeClaim with the karpenter.sh/termination finalizer.
// Lifecycle times are the Launched/Registered/Initialized conditions'
// lastTransitionTime; deletion_requested_at is metadata.deletionTimestamp;
// instance type, zone and capacity type are the well-known labels.
nlohmann::json EncodeNodeClaim(const ports::NodeClaimInfo& info);
Result<ports::NodeClaimInfo> DecodeNodeClaim(const nlohmann::json& object);

// core/v1 Pod plus status: phase (Pending/Running/Succeeded/Failed; Running
// with a container not ready reads as kStarting), PodScheduled=False with
// reason Unschedulable, status.nominatedNodeName (the provisioner nominates a
// NodeClaim there by name), start and condition times.
Result<ports::PodInfo> DecodePodInfo(const nlohmann::json& object);

// metadata.resourceVersion as a number (0 when absent or not a number: the
// API server's versions are opaque strings, but etcd's and the twin's are
// decimal revisions).
uint64_t ResourceVersionOf(const nlohmann::json& object);

}  // namespace adze::kube
