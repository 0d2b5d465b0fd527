// Arrival sizing (adze packer only): a new claim sized for the pods its pool
// expects before the claim's node is ready, not only for the pods of this
// batch.
//
// During a burst, pods arrive a few a second and each provisioning pass sees
// only the newest. Packing each batch on the cheapest type that fits it buys
// one small node per batch, and every later arrival needs another launch;
// Karpenter's packer, which puts a batch on one larger node, ends up cheaper
// over the burst because later arrivals fill the room it bought. So each new
// claim takes the type with the lowest price per pod it will serve: its own
// pods plus, up to the type's room, pods of the same shape the pool expects
// to arrive within the horizon (its recent arrival rate × horizon, less what
// earlier claims of the pass already took). With no arrivals the choice is
// the cheapest type, as before.
// Thread-safety: none; the provisioner owns it.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/duration.h"
#include "model/pod.h"
#include "scheduling/solver.h"

namespace adze::controllers {

struct ArrivalSizingOptions {
  model::Duration window = model::kMinute;   // arrival rate measured over this
  model::Duration horizon = model::kMinute;  // room kept for arrivals expected within this
  // For a GPU claim, the type that serves the most pods among those within
  // (1 + this) × the lowest price per pod served
  // (scheduling::SolverOptions::fewer_nodes_premium); 0: the lowest.
  double fewer_nodes_premium = 0;
};

// Pods that arrived (were first placed) per pool, over a sliding window.
class PoolArrivals {
 public:
  explicit PoolArrivals(model::Duration window) : window_(window) {}
  void Record(const std::string& pool, model::Duration now, size_t pods);
  // Pods expected within `horizon` from now, at the rate seen over the window.
  double Expected(const std::string& pool, model::Duration now, model::Duration horizon);

 private:
  model::Duration window_;
  std::map<std::string, std::deque<std::pair<model::Duration, size_t>>> arrivals_;
};

// Narrows claim.instance_types (cheapest first, each fitting the claim) to
// the types that serve at least as many pods as the one with the lowest
// price per pod served, counting up to `expected` more pods shaped like the
// claim's largest. With a premium, a claim for GPUs (or other accelerators)
// takes the type serving the most pods within the premium of that price.
// Returns how many expected pods the chosen type has room for.
size_t SizeForArrivals(scheduling::NewClaim& claim, const std::vector<model::Pod>& pods, size_t expected,
                       double fewer_nodes_premium = 0);

}  // namespace adze::controllers
