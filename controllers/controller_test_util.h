// Shared set-up for the controllers' unit tests: a manual clock, the fake
// cluster and cloud, and claims, nodes and pods in the shapes the tests need.
#pragma once

#include <string>

#include "model/labels.h"
#include "ports/fake/fake_cloud.h"
#include "ports/fake/fake_cluster.h"
#include "ports/fake/manual_clock.h"

namespace adze::controllers::testing {

using model::kMinute;
using model::kSecond;

struct World {
  ports::fake::ManualClock clock;
  ports::fake::FakeCluster cluster{clock};
  ports::fake::FakeCloud cloud{clock};

  World() {
    model::NodePool pool;
    pool.meta.name = "default";
    cluster.AddPool(pool);
  }

  // A claim created now, not yet launched.
  void AddPendingClaim(const std::string& name) {
    ports::NodeClaimInfo c;
    c.claim.meta.name = name;
    c.claim.requirements.Add(model::Requirement::In(std::string(model::label::kInstanceType), {"m6i.large"}));
    c.node_pool = "default";
    c.created_at = clock.Now();
    cluster.AddClaim(c);
  }

  // A claim with a running instance and a Ready, initialised node of the same name.
  std::string AddRunningNode(const std::string& name) {
    AddPendingClaim(name);
    const ports::Instance launched = cloud.AddInstance(name, "m6i.large");
    ports::NodeClaimInfo& c = cluster.claim(name);
    c.launched_at = c.registered_at = c.initialized_at = clock.Now();
    c.claim.provider_id = launched.provider_id;
    c.claim.node_name = name;
    c.instance_type = launched.instance_type;
    c.zone = launched.zone;
    c.capacity_type = launched.capacity_type;
    ports::NodeInfo n;
    n.node.meta.name = name;
    n.node.ready = true;
    n.node_claim = name;
    n.initialized = true;
    n.node.allocatable = {{"cpu", model::Quantity::FromUnits(4)}, {"memory", model::Quantity::MiB(16384)},
                          {"pods", model::Quantity::FromUnits(110)}};
    cluster.AddNode(n);
    return launched.provider_id;
  }

  // A running 1-CPU pod bound to the node.
  void AddBoundPod(const std::string& name, const std::string& node) {
    ports::PodInfo p;
    p.pod.meta.name = name;
    model::Container c;
    c.requests = {{"cpu", model::Quantity::FromUnits(1)}};
    p.pod.containers = {c};
    p.pod.node_name = node;
    p.phase = ports::PodPhase::kRunning;
    p.created_at = p.bound_at = p.running_at = clock.Now();
    cluster.AddPod(p);
  }
};

}  // namespace adze::controllers::testing
