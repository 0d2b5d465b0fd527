#include "scheduling/lower_bound.h"

#include <algorithm>
#include <limits>
#include <map>

#include "scheduling/predicates/host_ports.h"
#include "scheduling/predicates/taints.h"

namespace adze::scheduling {

using model::Requirements;

namespace {

// LB_r for the given pods (indexes into p.pods_), one entry per resource of p.space_.
std::vector<double> PerResource(const Problem& p, const std::vector<size_t>& pods) {
  // LB_r = Σ_pods request_r × min over types that can carry the pod of price / allocatable_r,
  // over the pods the plan buys capacity for (pods on existing nodes cost nothing,
  // and unschedulable pods are not in the plan's cost either).
  std::vector<double> lb(p.space_.size(), 0.0);
  // Per template and type: the node-side requirements and, for pods that add
  // none of their own, the cheapest offering.
  std::vector<std::vector<Requirements>> node_reqs(p.templates_.size());
  std::vector<std::vector<std::optional<double>>> base_price(p.templates_.size());
  for (size_t ti = 0; ti < p.templates_.size(); ++ti) {
    const Template& t = p.templates_[ti];
    for (const TypeOption& opt : t.types) {
      Requirements node = opt.type->requirements;
      node.Add(t.requirements);
      base_price[ti].push_back(CheapestUsableOffering(*opt.type, node));
      node_reqs[ti].push_back(std::move(node));
    }
  }
  // Pods of one equivalence class share their per-resource minimum.
  std::map<uint32_t, std::vector<double>> memo;
  {
    for (size_t index : pods) {
      const PreparedPod& pod = p.pods_[index];
      auto [it, added] = memo.try_emplace(pod.equivalence_class);
      std::vector<double>& best = it->second;
      if (added) {
        best.assign(p.space_.size(), std::numeric_limits<double>::infinity());
        const RelaxationStep& step = pod.steps.back();
        PodView view{&pod, &step};
        for (size_t ti = 0; ti < p.templates_.size(); ++ti) {
          const Template& t = p.templates_[ti];
          if (!ToleratesTaints(view, t.pool->taints)) continue;
          if (t.requirements.Compatible(step.requirements)) continue;
          for (size_t k = 0; k < t.types.size(); ++k) {
            const TypeOption& opt = t.types[k];
            if (!pod.requests.FitsIn(opt.allocatable)) continue;
            if (!pod.host_ports.empty() && opt.daemon_ports >= 0 &&
                PortClash(t.daemon_ports[static_cast<size_t>(opt.daemon_ports)].ports, pod.host_ports)) {
              continue;
            }
            std::optional<double> price = base_price[ti][k];
            if (!step.requirements.empty()) {
              const Requirements& node = node_reqs[ti][k];
              if (node.Compatible(step.requirements)) continue;
              Requirements all = node;
              all.Add(step.requirements);
              price = CheapestUsableOffering(*opt.type, all);
            }
            if (!price) continue;
            for (size_t r = 0; r < p.space_.size(); ++r) {
              if (opt.allocatable[r] > 0) {
                best[r] = std::min(best[r], *price / static_cast<double>(opt.allocatable[r]));
              }
            }
          }
        }
      }
      for (size_t r = 0; r < p.space_.size(); ++r) {
        if (pod.requests[r] > 0 && best[r] != std::numeric_limits<double>::infinity()) {
          lb[r] += static_cast<double>(pod.requests[r]) * best[r];
        }
      }
    }
  }
  return lb;
}

}  // namespace

double LowerBound(const Problem& p, const Plan& plan) {
  std::vector<size_t> pods;
  for (const NewClaim& c : plan.claims) pods.insert(pods.end(), c.pods.begin(), c.pods.end());
  const std::vector<double> lb = PerResource(p, pods);
  return lb.empty() ? 0 : *std::max_element(lb.begin(), lb.end());
}

std::map<std::string, double> LowerBoundByResource(const Problem& p) {
  std::vector<size_t> pods(p.pods_.size());
  for (size_t i = 0; i < pods.size(); ++i) pods[i] = i;
  const std::vector<double> lb = PerResource(p, pods);
  std::map<std::string, double> out;
  for (size_t r = 0; r < lb.size(); ++r) {
    if (lb[r] > 0) out[p.space_.name(r)] = lb[r];
  }
  return out;
}

}  // namespace adze::scheduling
