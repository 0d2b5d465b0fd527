// Pod: the scheduling-relevant part of a Kubernetes Pod.
// Thread-safety: value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/duration.h"
#include "model/label_selector.h"
#include "model/object_meta.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/taint.h"

namespace adze::model {

struct ContainerPort {
  int32_t container_port = 0;
  int32_t host_port = 0;  // 0: no host port
  std::string host_ip;    // empty: 0.0.0.0
  std::string protocol = "TCP";
  friend bool operator==(const ContainerPort&, const ContainerPort&) = default;
};

struct Container {
  std::string name;
  std::string image;
  ResourceList requests;
  ResourceList limits;
  std::vector<ContainerPort> ports;
  // Init containers with restartPolicy Always ("sidecars") run beside the app
  // containers and count in the sum.
  bool restart_always = false;
};

// A required node-affinity term: nodeSelectorTerms[i].matchExpressions.
struct PreferredNodeTerm {
  int32_t weight = 1;
  Requirements requirements;
};

struct PodAffinityTerm {
  std::optional<LabelSelector> label_selector;
  std::vector<std::string> namespaces;  // empty: the pod's own namespace
  std::string topology_key;
  std::vector<std::string> match_label_keys;
};

struct WeightedPodAffinityTerm {
  int32_t weight = 1;
  PodAffinityTerm term;
};

struct TopologySpreadConstraint {
  enum class WhenUnsatisfiable { kDoNotSchedule, kScheduleAnyway };
  enum class Policy { kHonor, kIgnore };
  int32_t max_skew = 1;
  std::string topology_key;
  WhenUnsatisfiable when_unsatisfiable = WhenUnsatisfiable::kDoNotSchedule;
  std::optional<LabelSelector> label_selector;
  std::optional<int32_t> min_domains;
  Policy node_affinity_policy = Policy::kHonor;
  Policy node_taints_policy = Policy::kIgnore;
  std::vector<std::string> match_label_keys;
};

struct Pod {
  ObjectMeta meta;
  std::vector<Container> containers;
  std::vector<Container> init_containers;
  ResourceList overhead;
  Labels node_selector;
  // nodeSelectorTerms (ORed); each term's expressions ANDed.
  std::vector<Requirements> required_node_affinity;
  std::vector<PreferredNodeTerm> preferred_node_affinity;
  std::vector<PodAffinityTerm> required_pod_affinity;
  std::vector<WeightedPodAffinityTerm> preferred_pod_affinity;
  std::vector<PodAffinityTerm> required_pod_anti_affinity;
  std::vector<WeightedPodAffinityTerm> preferred_pod_anti_affinity;
  std::vector<Toleration> tolerations;
  std::vector<TopologySpreadConstraint> topology_spread;
  int32_t priority = 0;
  std::string priority_class_name;
  std::string node_name;
  std::string scheduler_name = "default-scheduler";
  int64_t termination_grace_period_seconds = 30;
  // volumes[].persistentVolumeClaim.claimName: PVCs in the pod's namespace
  // whose volumes constrain where it may run (spec §2.7 "Volumes").
  std::vector<std::string> volume_claims;

  // What the scheduler counts: max(largest init container, sum of app
  // containers + sidecars) + overhead, per resource, plus pods=1.
  ResourceList EffectiveRequests() const;

  // The karpenter.sh/do-not-disrupt annotation: "true" protects forever; a
  // positive duration protects until the pod is that old. now and the pod's
  // creation_time are in SimTime microseconds. Bad values protect nothing.
  bool DoNotDisruptActive(Duration now) const;

  // True when nodeSelector and required node affinity (any term) accept a
  // node with these labels. A label the pod constrains with In/Exists/Gt/Lt
  // must be present; NotIn/DoesNotExist accept its absence.
  bool MatchesNodeLabels(const Labels& node_labels) const;
  // True when placing the pod depends on other pods: required pod
  // (anti-)affinity, DoNotSchedule topology spread, or host ports.
  bool HasInterPodConstraints() const;

  // Host ports the pod claims, (ip, port, protocol).
  std::vector<ContainerPort> HostPorts() const;
  bool OwnedByDaemonSet() const { return meta.owner && meta.owner->kind == "DaemonSet"; }
};

}  // namespace adze::model
