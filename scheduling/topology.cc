#include "scheduling/topology.h"

#include <algorithm>

#include "scheduling/predicates/pod_affinity.h"
#include "scheduling/predicates/pod_anti_affinity.h"
#include "scheduling/predicates/topology_spread.h"

namespace adze::scheduling {
namespace {

std::string SelectorKey(const model::LabelSelector& s) {
  std::string out;
  for (const auto& [k, v] : s.match_labels) out += k + "=" + v + ",";
  out += "|";
  for (const auto& e : s.match_expressions) {
    out += e.key + "~" + std::to_string(static_cast<int>(e.op)) + ":";
    for (const auto& v : e.values) out += v + ",";
    out += ";";
  }
  return out;
}

}  // namespace

Topology::Topology() { KeyId(model::label::kHostname); }

int Topology::KeyId(std::string_view key) {
  auto it = key_ids_.find(key);
  if (it != key_ids_.end()) return it->second;
  int id = static_cast<int>(keys_.size());
  keys_.push_back(Key{std::string(key), {}, {}, {}});
  key_ids_.emplace(std::string(key), id);
  return id;
}

int Topology::FindKey(std::string_view key) const {
  auto it = key_ids_.find(key);
  return it == key_ids_.end() ? -1 : it->second;
}

int Topology::DomainId(int key, std::string_view domain) {
  Key& k = keys_[static_cast<size_t>(key)];
  auto it = k.ids.find(domain);
  if (it != k.ids.end()) return it->second;
  int id = static_cast<int>(k.names.size());
  k.names.emplace_back(domain);
  k.ids.emplace(std::string(domain), id);
  return id;
}

int Topology::FindDomain(int key, std::string_view domain) const {
  const Key& k = keys_[static_cast<size_t>(key)];
  auto it = k.ids.find(domain);
  return it == k.ids.end() ? -1 : it->second;
}

int Topology::Intern(const TopologyTerm& term, bool owner, const PreparedPod& pod) {
  const bool spread = !owner && term.kind == TopologyTerm::Kind::kSpread;
  const bool affinity_filter = spread && term.honor_affinity && !pod.steps.front().strict.empty();
  const bool taint_filter = spread && term.honor_taints;
  std::string id = (owner ? "O|" : "M|") + term.key + "|";
  for (const auto& n : term.namespaces) id += n + ",";
  id += "|" + SelectorKey(term.selector);
  if (affinity_filter) id += "|A" + pod.steps.front().strict.ToString();
  if (taint_filter) {
    id += "|T";
    for (const auto& t : pod.pod->tolerations) {
      id += t.key + "/" + std::to_string(static_cast<int>(t.op)) + "/" + t.value + "/" +
            (t.effect ? std::to_string(static_cast<int>(*t.effect)) : "*") + ";";
    }
  }
  auto it = group_ids_.find(id);
  if (it != group_ids_.end()) return it->second;
  Group g;
  g.key = KeyId(term.key);
  g.namespaces = term.namespaces;
  g.selector = term.selector;
  g.owner = owner;
  if (affinity_filter) g.affinity_filter = pod.steps.front().strict;
  if (taint_filter) g.taint_filter = pod.pod->tolerations;
  int gid = static_cast<int>(groups_.size());
  groups_.push_back(std::move(g));
  group_ids_.emplace(std::move(id), gid);
  if (owner) owner_groups_.push_back(gid);
  return gid;
}

void Topology::Register(PreparedPod& pod) {
  for (TopologyTerm& t : pod.topology) {
    t.group = Intern(t, false, pod);
    // Only required anti-affinity keeps other pods away (inverse).
    if (t.kind == TopologyTerm::Kind::kAntiAffinity && !t.preferred) t.owner_group = Intern(t, true, pod);
  }
}

bool Topology::Selects(const Group& g, const model::Pod& pod) const {
  return std::binary_search(g.namespaces.begin(), g.namespaces.end(), pod.meta.namespace_) &&
         g.selector.Matches(pod.meta.labels);
}

void Topology::Link(PreparedPod& pod) const {
  pod.selected_by.clear();
  pod.owner_of.clear();
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (Selects(groups_[i], *pod.pod)) pod.selected_by.push_back(static_cast<int>(i));
  }
  for (const TopologyTerm& t : pod.topology) {
    if (t.owner_group >= 0) pod.owner_of.push_back(t.owner_group);
  }
  std::sort(pod.owner_of.begin(), pod.owner_of.end());
  pod.owner_of.erase(std::unique(pod.owner_of.begin(), pod.owner_of.end()), pod.owner_of.end());
}

void Topology::AddSource(Source s) {
  Key& k = keys_[static_cast<size_t>(s.key)];
  for (int d : s.domains) {
    if (std::find(k.universe.begin(), k.universe.end(), d) == k.universe.end()) k.universe.push_back(d);
  }
  std::sort(k.universe.begin(), k.universe.end());
  sources_.push_back(std::move(s));
}

void Topology::Finalize() {
  for (Group& g : groups_) {
    g.eligible.clear();
    if (g.owner || g.key == hostname_key()) continue;
    for (const Source& s : sources_) {
      if (s.key != g.key) continue;
      if (g.taint_filter && s.taints && model::FirstUntolerated(*s.taints, *g.taint_filter)) continue;
      if (g.affinity_filter && s.requirements && s.requirements->Compatible(*g.affinity_filter)) continue;
      const model::Requirement* allowed = g.affinity_filter ? g.affinity_filter->Find(KeyName(g.key)) : nullptr;
      for (int d : s.domains) {
        if (allowed && !allowed->Has(DomainName(g.key, d))) continue;
        g.eligible.push_back(d);
      }
    }
    std::sort(g.eligible.begin(), g.eligible.end());
    g.eligible.erase(std::unique(g.eligible.begin(), g.eligible.end()), g.eligible.end());
  }
  sources_.clear();  // they point into the caller's data
}

const std::vector<int>& Topology::Universe(int key) const { return keys_[static_cast<size_t>(key)].universe; }

bool Topology::Passes(const Group& g, const Place& place) const {
  if (g.taint_filter && place.taints && model::FirstUntolerated(*place.taints, *g.taint_filter)) return false;
  if (g.affinity_filter && place.requirements && place.requirements->Compatible(*g.affinity_filter)) return false;
  return true;
}

void Topology::Record(const PreparedPod& pod, const Place& place) {
  auto count = [&](int id) {
    Group& g = groups_[static_cast<size_t>(id)];
    if (!Passes(g, place)) return;
    int d = place.domain_of(g.key);
    if (d < 0) return;  // counts record only single domains (spec §2.7)
    if (static_cast<size_t>(d) >= g.counts.size()) g.counts.resize(static_cast<size_t>(d) + 1, 0);
    ++g.counts[static_cast<size_t>(d)];
    ++g.total;
  };
  for (int id : pod.selected_by) {
    if (!groups_[static_cast<size_t>(id)].owner) count(id);
  }
  for (int id : pod.owner_of) count(id);
}

void Topology::ConstrainedKeys(const PreparedPod& pod, const RelaxationStep& step, std::vector<int>* keys) const {
  keys->clear();
  for (uint32_t i : step.terms) keys->push_back(groups_[static_cast<size_t>(pod.topology[i].group)].key);
  for (int id : pod.selected_by) {
    const Group& g = groups_[static_cast<size_t>(id)];
    if (g.owner && g.total > 0) keys->push_back(g.key);
  }
  std::sort(keys->begin(), keys->end());
  keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

void Topology::Allowed(const PreparedPod& pod, const RelaxationStep& step, int key, std::vector<int>& domains,
                       std::string* why, bool* permanent) const {
  int first_spread = -1;
  for (uint32_t i : step.terms) {
    const TopologyTerm& t = pod.topology[i];
    if (groups_[static_cast<size_t>(t.group)].key != key) continue;
    switch (t.kind) {
      case TopologyTerm::Kind::kSpread:
        FilterSpreadDomains(t, *this, domains, why, permanent);
        if (first_spread < 0) first_spread = t.group;
        break;
      case TopologyTerm::Kind::kAffinity:
        FilterAffinityDomains(t, *this, domains, why, permanent);
        break;
      case TopologyTerm::Kind::kAntiAffinity:
        FilterAntiAffinityDomains(t, *this, domains, why);
        break;
    }
    if (domains.empty()) return;
  }
  FilterInverseAntiAffinityDomains(pod, key, *this, domains, why);
  if (domains.empty()) return;
  if (first_spread >= 0) {
    std::stable_sort(domains.begin(), domains.end(),
                     [&](int a, int b) { return Count(first_spread, a) < Count(first_spread, b); });
  }
}

}  // namespace adze::scheduling
