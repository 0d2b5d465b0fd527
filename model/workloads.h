// Workload objects that own pods: Deployment, Job, DaemonSet, and the
// PodDisruptionBudget that guards them. Thread-safety: value types.
#pragma once

#include <optional>
#include <string>

#include "model/label_selector.h"
#include "model/object_meta.h"
#include "model/pod.h"

namespace adze::model {

// The most pods one workload may ask for (Deployment replicas, Job
// parallelism and completions). Kubernetes bounds an indexed Job's
// completions and parallelism at 100,000 for the same reason: a planner
// materialises each pod, so a count near 2^31 would need gigabytes before
// any check could say it is too many. Beyond this a decode fails naming the
// bound.
inline constexpr int32_t kMaxWorkloadPods = 100000;

struct Deployment {
  ObjectMeta meta;
  int32_t replicas = 1;
  LabelSelector selector;
  Pod pod_template;
};

struct Job {
  ObjectMeta meta;
  int32_t parallelism = 1;
  std::optional<int32_t> completions;
  Pod pod_template;
};

struct DaemonSet {
  ObjectMeta meta;
  LabelSelector selector;
  Pod pod_template;
};

struct PodDisruptionBudget {
  ObjectMeta meta;
  LabelSelector selector;
  // Exactly one of the two; each an integer or a percentage.
  std::optional<int32_t> min_available;
  std::optional<int32_t> max_unavailable;
  bool min_available_percent = false;
  bool max_unavailable_percent = false;

  // True when the budget guards the pod (same namespace, selector matches).
  bool Selects(const Pod& pod) const;
  // Kubernetes' disruptionsAllowed for `expected` selected pods of which
  // `healthy` run: healthy − minAvailable, or maxUnavailable − unhealthy
  // (percentages of expected, rounded up); never below 0.
  int32_t DisruptionsAllowed(int32_t expected, int32_t healthy) const;
};

}  // namespace adze::model
