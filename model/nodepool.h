// NodePool (karpenter.sh/v1): the constraints and policy for a group of
// Karpenter-launched nodes (spec §1.1). Thread-safety: value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/duration.h"
#include "model/object_meta.h"
#include "model/requirement.h"
#include "model/requirements.h"
#include "model/resource_list.h"
#include "model/taint.h"

namespace adze::model {

struct NodeClassRef {
  std::string group = "karpenter.k8s.aws";
  std::string kind = "EC2NodeClass";
  std::string name;
  friend bool operator==(const NodeClassRef&, const NodeClassRef&) = default;
};

enum class ConsolidationPolicy { kWhenEmptyOrUnderutilized, kWhenEmpty };

enum class DisruptionReason { kUnderutilized, kEmpty, kDrifted };
std::string_view DisruptionReasonName(DisruptionReason r);

struct Budget {
  // Integer count, or a percentage of the pool's nodes.
  int32_t nodes = 0;
  bool percent = false;
  std::string schedule;                  // cron, UTC; empty: always active
  std::optional<Duration> duration;      // with schedule
  std::vector<DisruptionReason> reasons; // empty: all reasons
  friend bool operator==(const Budget&, const Budget&) = default;
};

// Karpenter's default when spec.disruption.budgets is absent: 10% of nodes.
inline Budget DefaultBudget() {
  Budget b;
  b.nodes = 10;
  b.percent = true;
  return b;
}

struct NodePool {
  ObjectMeta meta;
  // spec.template
  Labels template_labels;
  Annotations template_annotations;
  std::vector<Taint> taints;
  std::vector<Taint> startup_taints;
  std::vector<Requirement> requirements;  // with minValues
  NodeClassRef node_class_ref;
  std::optional<Duration> expire_after = 720 * kHour;  // nullopt: Never
  std::optional<Duration> termination_grace_period;     // nullopt: wait forever
  // spec.disruption
  ConsolidationPolicy consolidation_policy = ConsolidationPolicy::kWhenEmptyOrUnderutilized;
  std::optional<Duration> consolidate_after = 0;  // nullopt: Never
  std::vector<Budget> budgets = {DefaultBudget()};
  // spec.limits: ceiling on the summed capacity of the pool's nodes.
  ResourceList limits;
  int32_t weight = 0;

  // What spec.limits leaves once `usage` (the summed capacity of the pool's
  // nodes, with "nodes" their count) is taken: one entry per limited
  // resource, negative when usage is over the limit. Resources the pool does
  // not limit are absent, so they never read as a limit reached.
  ResourceList RemainingLimits(const ResourceList& usage) const;

  // The requirements every node of the pool satisfies: its requirements plus
  // its template labels as In requirements (spec §2.3.1).
  Requirements NodeRequirements() const;
};

}  // namespace adze::model
