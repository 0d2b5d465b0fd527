#include "scheduling/volume_topology.h"

#include <algorithm>

#include "model/labels.h"

namespace adze::scheduling {
namespace {

std::string ClaimName(const std::string& namespace_, const std::string& name) {
  return "PersistentVolumeClaim " + namespace_ + "/" + name;
}

// The terms as alternatives; a term left empty means the volume does not
// constrain the node at all (then: no alternatives).
std::vector<model::Requirements> Alternatives(const std::vector<model::Requirements>& terms) {
  std::vector<model::Requirements> out;
  for (const model::Requirements& t : terms) {
    if (t.empty()) return {};
    out.push_back(t);
  }
  return out;
}

// A node-local volume's hostname term names the node it was made on; a new
// node cannot be that node, so the term is dropped (as Karpenter does).
model::Requirements WithoutHostname(const model::Requirements& term) {
  model::Requirements out;
  for (const model::Requirement& r : term.All()) {
    if (r.key() != model::label::kHostname) out.Add(r);
  }
  return out;
}

// When every alternative is `key In [values]` on one key, their union is
// the same constraint as one alternative, and tried once.
std::vector<model::Requirements> MergeSingleKey(std::vector<model::Requirements> alts) {
  if (alts.size() < 2) return alts;
  std::vector<std::string> values;
  std::string key;
  for (const model::Requirements& a : alts) {
    if (a.size() != 1) return alts;
    const model::Requirement r = a.All().front();
    if (r.complement() || r.lower_bound() || r.upper_bound() || (!key.empty() && r.key() != key)) return alts;
    key = r.key();
    values.insert(values.end(), r.values().begin(), r.values().end());
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  model::Requirements merged;
  merged.Add(model::Requirement::In(key, values));
  return {merged};
}

}  // namespace

VolumeTopology::VolumeTopology(const std::vector<model::PersistentVolumeClaim>& claims,
                               const std::vector<model::PersistentVolume>& volumes,
                               const std::vector<model::StorageClass>& classes) {
  for (const auto& c : claims) claims_.emplace(std::make_pair(c.meta.namespace_, c.meta.name), &c);
  for (const auto& v : volumes) volumes_.emplace(v.meta.name, &v);
  for (const auto& s : classes) classes_.emplace(s.meta.name, &s);
}

VolumeRequirements VolumeTopology::ForClaim(const std::string& namespace_, const std::string& name) const {
  VolumeRequirements out;
  const std::string claim_name = ClaimName(namespace_, name);
  auto claim = claims_.find({namespace_, name});
  if (claim == claims_.end()) {
    out.error = claim_name + " not found";
    return out;
  }
  const model::PersistentVolumeClaim& pvc = *claim->second;
  if (pvc.meta.deleting) {
    out.error = claim_name + " is being deleted";
    return out;
  }
  if (!pvc.volume_name.empty()) {
    auto volume = volumes_.find(pvc.volume_name);
    if (volume == volumes_.end()) {
      out.error = claim_name + " is bound to PersistentVolume " + pvc.volume_name + ", which is not found";
      return out;
    }
    const model::PersistentVolume& pv = *volume->second;
    if (pv.meta.deleting) {
      out.error = "PersistentVolume " + pv.meta.name + " of " + claim_name + " is being deleted";
      return out;
    }
    if (!pv.node_local) {
      out.alternatives = Alternatives(pv.node_affinity);
      return out;
    }
    std::vector<model::Requirements> terms;
    for (const model::Requirements& t : pv.node_affinity) terms.push_back(WithoutHostname(t));
    out.alternatives = Alternatives(terms);
    return out;
  }
  // Unbound: the StorageClass provisions the volume.
  if (pvc.storage_class_name.empty()) {
    out.error = claim_name + " is unbound and names no StorageClass";
    return out;
  }
  auto sc = classes_.find(pvc.storage_class_name);
  if (sc == classes_.end()) {
    out.error = claim_name + " uses StorageClass " + pvc.storage_class_name + ", which is not found";
    return out;
  }
  if (sc->second->volume_binding_mode == model::VolumeBindingMode::kImmediate) {
    // The volume is made (and placed) without regard to the pod; until it is
    // bound there is nothing to provision for.
    out.error = claim_name + " is unbound and StorageClass " + pvc.storage_class_name +
                " binds Immediately: waiting for the volume to be bound";
    return out;
  }
  out.alternatives = Alternatives(sc->second->allowed_topologies);
  return out;
}

VolumeRequirements VolumeTopology::For(const model::Pod& pod) const {
  VolumeRequirements out;
  if (pod.volume_claims.empty()) return out;
  std::vector<model::Requirements> combined = {model::Requirements()};
  std::string constraints;  // what each constraining claim asked, for the error
  for (const std::string& name : pod.volume_claims) {
    VolumeRequirements v = ForClaim(pod.meta.namespace_, name);
    if (!v.error.empty()) return v;
    if (v.alternatives.empty()) continue;
    v.alternatives = MergeSingleKey(std::move(v.alternatives));
    std::vector<model::Requirements> next;
    for (const model::Requirements& a : combined) {
      for (const model::Requirements& b : v.alternatives) {
        if (a.Intersects(b)) continue;  // this pair cannot hold together
        model::Requirements both = a;
        both.Add(b);
        next.push_back(std::move(both));
      }
    }
    if (!constraints.empty()) constraints += "; ";
    constraints += ClaimName(pod.meta.namespace_, name) + " needs ";
    for (size_t i = 0; i < v.alternatives.size(); ++i) {
      constraints += (i ? " or " : "") + v.alternatives[i].ToString();
    }
    if (next.empty()) {
      out.error = "its volumes cannot be used from one node (" + constraints + ")";
      return out;
    }
    combined = std::move(next);
  }
  if (combined.size() == 1 && combined.front().empty()) return out;
  out.alternatives = MergeSingleKey(std::move(combined));
  return out;
}

}  // namespace adze::scheduling
