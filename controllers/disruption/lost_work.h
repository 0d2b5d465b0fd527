// Lost work: what evicting a pod now throws away (issue 16).
//
// A pod that runs to completion (owned by a Job, or by nothing, as the
// trace's bare pods) and does not checkpoint starts again from scratch when
// it is evicted: its whole run so far is redone. On the Alibaba trace
// example, consolidation that ignored this redid more GPU-hours than the
// trace asked for (docs/compare.md). adze consolidation therefore prices it:
// the hours lost, times the pod's share of its node, times the node's price.
// A pod annotated adze.dev/checkpoint-interval loses at most the time since
// its last checkpoint; pods of other controllers (Deployments, StatefulSets)
// serve rather than compute and lose nothing. Karpenter has no such notion:
// its users mark long jobs karpenter.sh/do-not-disrupt instead.
// Thread-safety: pure functions.
#pragma once

#include "model/duration.h"
#include "ports/cluster_objects.h"

namespace adze::controllers::disruption {

// How soon a consolidation's savings must repay the work it makes pods redo
// (DisruptionOptions::lost_work_payback). Short: savings accrue only while
// the moved pods would have kept their node busy, and a restarted job
// finishes later by all it lost. On the Alibaba trace example (seeds 1-5)
// 10 min beat 1 h and 2 h on cost, p95 time to running and unique work
// (docs/benchmarks.md, "Lost work").
inline constexpr model::Duration kDefaultLostWorkPayback = 10 * model::kMinute;

// Hours of the pod's run an eviction at `now` would throw away.
double LostWorkHours(const ports::PodInfo& pod, model::Duration now);

// The pod's share of the node it runs on: the largest fraction of any
// resource the node allocates that the pod requests, at most 1.
double ShareOfNode(const model::Pod& pod, const model::Node& node);

// $ of work lost by evicting the pod now from a node priced price_per_hour.
double LostWorkUsd(const ports::PodInfo& pod, const model::Node& node, double price_per_hour, model::Duration now);

}  // namespace adze::controllers::disruption
