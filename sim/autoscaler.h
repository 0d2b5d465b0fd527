// Autoscaler: what the simulation shell drives once a second instead of
// adze's operator when SimulationOptions::autoscaler is set — the Cluster
// Autoscaler and fixed-fleet baselines of `adze compare` (sim/baselines/).
// The world around it (workloads, simulated EC2 with its capacity and spot
// draws, kubelets with their boot draws, the kube-scheduler) is the same one
// adze's operator runs in, so only the autoscaling decisions differ.
//
// An autoscaler launches through SimulatedEc2 (CreateFleet, as an Auto
// Scaling group does), records each node as a NodeClaim in the cluster (so
// the kubelet, the kube-scheduler and the run's measurements treat it like
// any other node), boots it with Kubelet::Boot, and counts what it did in
// the metrics the run summary reads (adze_nodes_launched_total{capacity_type},
// adze_nodeclaims_created_total, adze_nodeclaims_terminated_total{reason},
// adze_interruption_messages_total{kind}, adze_insufficient_capacity_total).
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "ports/clock.h"
#include "ports/metrics.h"
#include "sim/scenario.h"

namespace adze::sim {

class EventQueue;
class Kubelet;
class SimulatedCluster;
class SimulatedEc2;

// The simulated world an autoscaler acts on. Every reference outlives the
// autoscaler.
struct AutoscalerWorld {
  const Scenario& scenario;
  const catalog::Catalog& catalog;
  EventQueue& events;
  ports::Clock& clock;
  SimulatedCluster& cluster;
  SimulatedEc2& ec2;
  Kubelet& kubelet;
  ports::Metrics& metrics;
  // Appends an event to the run's event log (a no-op unless recorded); the
  // shell adds the time.
  std::function<void(nlohmann::json)> record;
};

class Autoscaler {
 public:
  virtual ~Autoscaler() = default;
  // Once a second of simulated time.
  virtual void Tick() = 0;
  // Pods the kube-scheduler could not place in its last pass.
  virtual void OnUnschedulable(const std::vector<std::string>& pods) = 0;
};

using AutoscalerFactory = std::function<std::unique_ptr<Autoscaler>(const AutoscalerWorld&)>;

}  // namespace adze::sim
