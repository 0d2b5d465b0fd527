#include "scheduling/topology.h"

#include <algorithm>
#include <climits>

namespace adze::scheduling {

size_t Topology::Intern(const TopologyTerm& term, bool owner) {
  for (size_t i = 0; i < groups_.size(); ++i) {
    const Group& g = groups_[i];
    if (g.owner == owner && g.key == term.key && g.namespaces == term.namespaces && g.selector == term.selector) {
      return i;
    }
  }
  groups_.push_back(Group{term.key, term.namespaces, term.selector, owner, {}, 0});
  if (owner) owner_groups_.push_back(groups_.size() - 1);
  return groups_.size() - 1;
}

void Topology::Register(PreparedPod& pod) {
  auto& [match, owners] = pod_groups_[pod.pod];
  match.clear();
  owners.clear();
  for (const TopologyTerm& t : pod.topology) {
    match.push_back(Intern(t, false));
    if (t.kind == TopologyTerm::Kind::kAntiAffinity) owners.push_back(Intern(t, true));
  }
}

const std::set<std::string>& Topology::Universe(const std::string& key) const {
  static const std::set<std::string> kEmpty;
  auto it = universe_.find(key);
  return it == universe_.end() ? kEmpty : it->second;
}

bool Topology::Selects(const Group& g, const model::Pod& pod) const {
  return std::find(g.namespaces.begin(), g.namespaces.end(), pod.meta.namespace_) != g.namespaces.end() &&
         g.selector.Matches(pod.meta.labels);
}

void Topology::Record(const PreparedPod& pod, const DomainOf& domain_of) {
  for (Group& g : groups_) {
    if (g.owner || !Selects(g, *pod.pod)) continue;
    if (auto d = domain_of(g.key)) {
      ++g.counts[*d];
      ++g.total;
    }
  }
  auto it = pod_groups_.find(pod.pod);
  if (it == pod_groups_.end()) return;
  for (size_t id : it->second.second) {
    Group& g = groups_[id];
    if (auto d = domain_of(g.key)) {
      ++g.counts[*d];
      ++g.total;
    }
  }
}

int Topology::Count(size_t group, const std::string& domain) const {
  auto it = groups_[group].counts.find(domain);
  return it == groups_[group].counts.end() ? 0 : it->second;
}

std::vector<std::string> Topology::ConstrainedKeys(const PreparedPod& pod) const {
  std::set<std::string> keys;
  for (const TopologyTerm& t : pod.topology) keys.insert(t.key);
  for (size_t id : owner_groups_) {
    if (groups_[id].total > 0 && Selects(groups_[id], *pod.pod)) keys.insert(groups_[id].key);
  }
  return {keys.begin(), keys.end()};
}

std::vector<std::string> Topology::Allowed(const PreparedPod& pod, const std::string& key,
                                           const std::vector<std::string>& candidates, std::string* why) const {
  std::vector<std::string> allowed = candidates;
  auto it = pod_groups_.find(pod.pod);
  const std::vector<size_t>* match = it == pod_groups_.end() ? nullptr : &it->second.first;
  const size_t* spread_group = nullptr;
  bool hostname = key == model::label::kHostname;
  for (size_t i = 0; i < pod.topology.size(); ++i) {
    const TopologyTerm& t = pod.topology[i];
    if (t.key != key || !match) continue;
    size_t gid = (*match)[i];
    const Group& g = groups_[gid];
    int self = t.self_match ? 1 : 0;
    switch (t.kind) {
      case TopologyTerm::Kind::kSpread: {
        // Skew is measured against the emptiest domain the pod could use;
        // hostname domains are unbounded (a new node is always empty).
        int global_min = 0;
        const std::set<std::string>& universe = Universe(key);
        if (!hostname && static_cast<int>(universe.size()) >= t.min_domains) {
          global_min = INT_MAX;
          for (const std::string& d : universe) global_min = std::min(global_min, Count(gid, d));
          if (global_min == INT_MAX) global_min = 0;
        }
        std::erase_if(allowed, [&](const std::string& d) { return Count(gid, d) + self - global_min > t.max_skew; });
        if (allowed.empty() && why) {
          *why = "topology spread on " + key + " (maxSkew " + std::to_string(t.max_skew) + ") would be violated";
        }
        if (!spread_group) spread_group = &(*match)[i];
        break;
      }
      case TopologyTerm::Kind::kAffinity:
        if (g.total == 0 && t.self_match) break;  // the first pod of a group starts it anywhere
        std::erase_if(allowed, [&](const std::string& d) { return Count(gid, d) == 0; });
        if (allowed.empty() && why) *why = "required pod affinity on " + key + " found no domain with a matching pod";
        break;
      case TopologyTerm::Kind::kAntiAffinity:
        std::erase_if(allowed, [&](const std::string& d) { return Count(gid, d) > 0; });
        if (allowed.empty() && why) *why = "required pod anti-affinity on " + key + ": every domain has a matching pod";
        break;
    }
    if (allowed.empty()) return allowed;
  }
  // Inverse anti-affinity: pods already placed keep pods they select out.
  for (size_t id : owner_groups_) {
    const Group& g = groups_[id];
    if (g.key != key || g.total == 0 || !Selects(g, *pod.pod)) continue;
    std::erase_if(allowed, [&](const std::string& d) { return Count(id, d) > 0; });
    if (allowed.empty()) {
      if (why) *why = "another pod's required anti-affinity on " + key + " excludes it";
      return allowed;
    }
  }
  if (spread_group) {
    size_t gid = *spread_group;
    std::stable_sort(allowed.begin(), allowed.end(),
                     [&](const std::string& a, const std::string& b) { return Count(gid, a) < Count(gid, b); });
  }
  return allowed;
}

}  // namespace adze::scheduling
