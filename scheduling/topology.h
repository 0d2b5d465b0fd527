// Topology: counts of matching pods per topology domain for every group of
// pods a topology term selects (spec §2.7). Keys and domains are interned to
// small integers once per solve, so counting and the spread/affinity checks
// index vectors instead of string maps.
//
// Match groups count the pods a selector picks (spread, affinity,
// anti-affinity); spread groups also carry the node filter of their
// nodeAffinityPolicy/nodeTaintsPolicy, so only pods on nodes passing it count.
// Owner groups count the pods that own a required anti-affinity term, so that
// a pod those terms select stays out of their domains (inverse anti-affinity).
// Thread-safety: not thread-safe; copied into each packing pass.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/requirements.h"
#include "model/taint.h"
#include "scheduling/prepared_pod.h"

namespace adze::scheduling {

class Topology {
 public:
  struct Group {
    int key = -1;
    std::vector<std::string> namespaces;
    model::LabelSelector selector;
    bool owner = false;
    // Spread node filter (spec §2.7): empty optional = every node counts.
    std::optional<model::Requirements> affinity_filter;
    std::optional<std::vector<model::Toleration>> taint_filter;
    std::vector<int> counts;  // by domain id of key
    int total = 0;
    std::vector<int> eligible;  // domains a spread pod of this group may use (not hostname)
  };

  Topology();

  // Interning. KeyId and DomainId create ids; Find* return -1 when unknown.
  int KeyId(std::string_view key);
  int FindKey(std::string_view key) const;
  int hostname_key() const { return 0; }
  int num_keys() const { return static_cast<int>(keys_.size()); }
  int NumDomains(int key) const { return static_cast<int>(keys_[static_cast<size_t>(key)].names.size()); }
  const std::string& KeyName(int key) const { return keys_[static_cast<size_t>(key)].name; }
  int DomainId(int key, std::string_view domain);
  int FindDomain(int key, std::string_view domain) const;
  // A fresh domain of key with no name (a claim's placeholder hostname).
  int NewAnonymousDomain(int key) {
    keys_[static_cast<size_t>(key)].names.emplace_back();
    return static_cast<int>(keys_[static_cast<size_t>(key)].names.size()) - 1;
  }
  const std::string& DomainName(int key, int domain) const {
    return keys_[static_cast<size_t>(key)].names[static_cast<size_t>(domain)];
  }

  // Registers the groups of the pod's terms (sets TopologyTerm::group and
  // owner_group). Call for every pending and bound pod before Link.
  void Register(PreparedPod& pod);
  // Fills pod.selected_by / owner_of. REQUIRES: every pod registered.
  void Link(PreparedPod& pod) const;

  // Where domains of a key come from: a pool template or an existing node,
  // with its taints and node-side requirements (for the spread node filter).
  struct Source {
    int key = -1;
    std::vector<int> domains;
    const std::vector<model::Taint>* taints = nullptr;
    const model::Requirements* requirements = nullptr;
  };
  // REQUIRES: s.taints and s.requirements stay valid until Finalize.
  void AddSource(Source s);
  // Computes each spread group's eligible domains and forgets the sources.
  // REQUIRES: sources added.
  void Finalize();
  // Every known domain of a (non-hostname) key, in id order.
  const std::vector<int>& Universe(int key) const;

  // A node or claim as counting sees it.
  struct Place {
    const model::Requirements* requirements = nullptr;  // node labels or claim requirements
    const std::vector<model::Taint>* taints = nullptr;
    std::function<int(int key)> domain_of;  // -1 when the place has no single domain
  };
  // Records a placed (or already bound) pod in the groups it belongs to.
  void Record(const PreparedPod& pod, const Place& place);

  // Keys on which the pod's placement is constrained at step: its active
  // terms' keys and those of owner groups that select it, sorted, unique.
  void ConstrainedKeys(const PreparedPod& pod, const RelaxationStep& step, std::vector<int>* keys) const;

  // Narrows `domains` (ids of key) to those the pod may use at step, in
  // preference order (fewest matching pods of its first spread term first).
  // When nothing is left, *why (if given) says which rule emptied it.
  // *permanent (if given) is cleared when a later placement could make an
  // emptied set non-empty again (affinity waiting for a match, a spread
  // waiting for the global minimum to rise).
  void Allowed(const PreparedPod& pod, const RelaxationStep& step, int key, std::vector<int>& domains,
               std::string* why, bool* permanent = nullptr) const;

  const Group& group(int id) const { return groups_[static_cast<size_t>(id)]; }
  int Count(int group, int domain) const {
    const auto& c = groups_[static_cast<size_t>(group)].counts;
    return domain >= 0 && static_cast<size_t>(domain) < c.size() ? c[static_cast<size_t>(domain)] : 0;
  }
  bool Selects(const Group& g, const model::Pod& pod) const;

 private:
  struct Key {
    std::string name;
    std::map<std::string, int, std::less<>> ids;
    std::vector<std::string> names;
    std::vector<int> universe;  // sourced domains (not hostname)
  };
  int Intern(const TopologyTerm& term, bool owner, const PreparedPod& pod);
  bool Passes(const Group& g, const Place& place) const;

  std::vector<Key> keys_;
  std::map<std::string, int, std::less<>> key_ids_;
  std::vector<Group> groups_;
  std::map<std::string, int> group_ids_;
  std::vector<int> owner_groups_;
  std::vector<Source> sources_;
};

}  // namespace adze::scheduling
