// Topology: counts of matching pods per topology domain for every group of
// pods a topology term selects (spec §2.7). Match groups count pods a
// selector matches (spread, affinity, anti-affinity); owner groups count the
// pods that own a required anti-affinity term, so that a pod those terms
// select stays out of their domains (inverse anti-affinity).
// Thread-safety: not thread-safe; one per solve.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scheduling/prepared_pod.h"

namespace adze::scheduling {

class Topology {
 public:
  // Registers the groups of the pod's terms; returns, per term, its match
  // group id, and appends owner-group ids for its anti-affinity terms.
  void Register(PreparedPod& pod);

  // Domains a key can take in this solve (zones of the pools' offerings and of
  // existing nodes, ...). Hostname needs none.
  void AddDomain(const std::string& key, const std::string& domain) { universe_[key].insert(domain); }
  const std::set<std::string>& Universe(const std::string& key) const;

  using DomainOf = std::function<std::optional<std::string>(const std::string& key)>;
  // Records a placed (or already bound) pod in the groups it belongs to.
  void Record(const PreparedPod& pod, const DomainOf& domain_of);

  // Narrows candidate domains of `key` for placing pod: returns the allowed
  // ones, in preference order (fewest matching pods first, then name). An
  // empty result comes with *why set.
  std::vector<std::string> Allowed(const PreparedPod& pod, const std::string& key,
                                   const std::vector<std::string>& candidates, std::string* why) const;

  // Keys on which the pod's placement is constrained (its own terms and the
  // anti-affinity of others that select it), sorted.
  std::vector<std::string> ConstrainedKeys(const PreparedPod& pod) const;

  int Count(size_t group, const std::string& domain) const;

 private:
  struct Group {
    std::string key;
    std::vector<std::string> namespaces;
    model::LabelSelector selector;
    bool owner = false;
    std::map<std::string, int, std::less<>> counts;
    int total = 0;
  };
  size_t Intern(const TopologyTerm& term, bool owner);
  bool Selects(const Group& g, const model::Pod& pod) const;

  std::vector<Group> groups_;
  std::vector<size_t> owner_groups_;
  std::map<std::string, std::set<std::string>> universe_;
  // Per registered pod index: match group per term, owner groups.
  std::map<const model::Pod*, std::pair<std::vector<size_t>, std::vector<size_t>>> pod_groups_;
};

}  // namespace adze::scheduling
