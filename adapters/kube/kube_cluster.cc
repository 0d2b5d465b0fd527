#include "adapters/kube/kube_cluster.h"

#include <algorithm>
#include <utility>

#include "adapters/kube/json_yaml.h"
#include "adapters/kube/object_codec.h"
#include "model/codec/ec2nodeclass_decoder.h"
#include "model/codec/nodepool_decoder.h"
#include "model/codec/workload_decoder.h"
#include "model/codec/yaml_field.h"
#include "model/labels.h"
#include "model/timestamp.h"

namespace adze::kube {
namespace {

using nlohmann::json;

constexpr const char* kClaims = "/apis/karpenter.sh/v1/nodeclaims";

// object[parent][key] as a string, "" when any part is missing or of another
// type: an answer or a cached object is not trusted to have the shape it
// should (json's value() throws on a null parent).
std::string NestedString(const json& object, const char* parent, const char* key) {
  if (!object.is_object()) return "";
  auto p = object.find(parent);
  if (p == object.end() || !p->is_object()) return "";
  auto v = p->find(key);
  return v != p->end() && v->is_string() ? v->get<std::string>() : "";
}

std::pair<std::string, std::string> SplitPod(const std::string& pod) {
  size_t slash = pod.find('/');
  if (slash == std::string::npos) return {"default", pod};
  return {pod.substr(0, slash), pod.substr(slash + 1)};
}

std::string PodPath(const std::string& pod) {
  auto [ns, name] = SplitPod(pod);
  return "/api/v1/namespaces/" + ns + "/pods/" + name;
}

template <typename T, typename F>
std::optional<T> DecodeYaml(const json& object, F&& decode) {
  codec::DecodeContext ctx("api");
  try {
    return decode(codec::YamlField(JsonToYaml(object), &ctx));
  } catch (const codec::DecodeError&) {
    return std::nullopt;
  }
}

std::string RvOf(const json& o) {
  if (!o.is_object()) return "";
  auto m = o.find("metadata");
  if (m == o.end() || !m->is_object()) return "";
  auto rv = m->find("resourceVersion");
  return rv != m->end() && rv->is_string() ? rv->get<std::string>() : "";
}

}  // namespace

KubeCluster::KubeCluster(RestClient& client, std::function<int64_t()> now)
    : client_(client), now_(std::move(now)), events_(client.config(), client.options(), now_) {
  auto add = [&](const char* path) {
    informers_.push_back(std::make_unique<Informer>(client_, path, [this] { ++generation_; }));
    return informers_.back().get();
  };
  pods_ = add("/api/v1/pods");
  nodes_ = add("/api/v1/nodes");
  claims_ = add(kClaims);
  pools_ = add("/apis/karpenter.sh/v1/nodepools");
  daemon_sets_ = add("/apis/apps/v1/daemonsets");
  pdbs_ = add("/apis/policy/v1/poddisruptionbudgets");
  node_classes_ = add("/apis/karpenter.k8s.aws/v1/ec2nodeclasses");
}

KubeCluster::~KubeCluster() { Stop(); }

void KubeCluster::Start() {
  for (auto& i : informers_) i->Start();
  events_.Start();
}

void KubeCluster::Stop() {
  events_.Stop();
  for (auto& i : informers_) i->Stop();
}

bool KubeCluster::Synced() const {
  return std::all_of(informers_.begin(), informers_.end(), [](const auto& i) { return i->synced(); });
}

InformerStats KubeCluster::Stats() const {
  InformerStats s;
  for (const auto& i : informers_) {
    InformerStats one = i->stats();
    s.lists += one.lists;
    s.watches += one.watches;
    s.expired += one.expired;
    s.failures += one.failures;
  }
  return s;
}

std::shared_ptr<const ports::ClusterSnapshot> KubeCluster::Snapshot() const {
  std::lock_guard lock(mu_);
  uint64_t generation = generation_.load();
  if (last_ && generation == built_generation_) return last_;

  // NodeClaims, decoded once per resourceVersion.
  std::vector<ports::NodeClaimInfo> claims;
  std::map<std::string, std::string> claim_by_provider;
  std::map<std::string, Decoded<ports::NodeClaimInfo>> claim_cache;
  // Hold the informer's items: a temporary shared_ptr would die before the loop.
  const auto claim_items = claims_->items();
  for (const auto& [key, object] : *claim_items) {
    std::string rv = RvOf(*object);
    auto it = claim_cache_.find(key);
    Decoded<ports::NodeClaimInfo> d;
    if (it != claim_cache_.end() && it->second.rv == rv) {
      d = it->second;
    } else {
      auto decoded = DecodeNodeClaim(*object);
      d = {rv, decoded.ok() ? std::make_shared<const ports::NodeClaimInfo>(std::move(*decoded)) : nullptr};
    }
    claim_cache[key] = d;
    if (!d.value) continue;
    claims.push_back(*d.value);
    if (!d.value->claim.provider_id.empty()) claim_by_provider[d.value->claim.provider_id] = key;
  }
  claim_cache_ = std::move(claim_cache);

  // Pods.
  std::vector<ports::PodInfo> pods;
  std::vector<ports::PodInfo> pending;
  std::map<std::string, Decoded<ports::PodInfo>> pod_cache;
  const auto pod_items = pods_->items();
  for (const auto& [key, object] : *pod_items) {
    std::string rv = RvOf(*object);
    auto it = pod_cache_.find(key);
    Decoded<ports::PodInfo> d;
    if (it != pod_cache_.end() && it->second.rv == rv) {
      d = it->second;
    } else {
      auto decoded = DecodePodInfo(*object);
      if (decoded.ok()) decoded->pod.meta.name = key;
      d = {rv, decoded.ok() ? std::make_shared<const ports::PodInfo>(std::move(*decoded)) : nullptr};
    }
    pod_cache[key] = d;
    if (!d.value) continue;
    pods.push_back(*d.value);
    if (d.value->pod.node_name.empty() && d.value->phase == ports::PodPhase::kPending) pending.push_back(*d.value);
  }
  pod_cache_ = std::move(pod_cache);

  // Registration, as Karpenter's lifecycle controller links them: a Node
  // whose providerID is a claim's registers that claim (node name, time).
  // The link is derived here on every snapshot and persisted with the
  // claim's next status write.
  std::map<std::string, std::pair<std::string, model::Duration>> node_of_provider;
  const auto node_items = nodes_->items();
  for (const auto& [key, object] : *node_items) {
    std::string pid = NestedString(*object, "spec", "providerID");
    if (pid.empty()) continue;
    auto created = model::ParseTimestamp(NestedString(*object, "metadata", "creationTimestamp"));
    node_of_provider[pid] = {key, created.ok() ? *created : 0};
  }
  for (ports::NodeClaimInfo& c : claims) {
    auto n = node_of_provider.find(c.claim.provider_id);
    if (c.claim.provider_id.empty() || n == node_of_provider.end()) continue;
    if (c.claim.node_name.empty()) c.claim.node_name = n->second.first;
    if (!c.registered_at) {
      c.claim.registered = true;
      c.registered_at = std::max(n->second.second, c.launched_at.value_or(c.created_at));
    }
  }

  // Nodes with their bound pods.
  std::map<std::string, ports::NodeInfo> nodes;
  for (const auto& [key, object] : *node_items) {
    auto node = DecodeNode(*object);
    if (!node.ok()) continue;
    ports::NodeInfo info;
    info.node = std::move(*node);
    info.registered_at = info.node.meta.creation_time;
    info.last_pod_event = info.registered_at;
    info.initialized = info.node.meta.labels.count(std::string{model::label::kInitialized}) > 0 &&
                       info.node.meta.labels.at(std::string{model::label::kInitialized}) == "true";
    if (auto c = claim_by_provider.find(info.node.provider_id); c != claim_by_provider.end()) {
      info.node_claim = c->second;
      for (const ports::NodeClaimInfo& claim : claims) {
        if (claim.claim.meta.name != c->second) continue;
        info.deleting = claim.deletion_requested_at.has_value();
        // Karpenter labels the node karpenter.sh/initialized when the claim is.
        info.initialized = info.initialized || claim.claim.initialized;
      }
    }
    nodes.emplace(info.node.meta.name, std::move(info));
  }
  for (const ports::PodInfo& p : pods) {
    if (p.pod.node_name.empty() || p.phase == ports::PodPhase::kSucceeded || p.phase == ports::PodPhase::kFailed) {
      continue;
    }
    auto it = nodes.find(p.pod.node_name);
    if (it == nodes.end()) continue;
    it->second.pods.push_back(p.pod.meta.name);
    it->second.requested.Add(p.pod.EffectiveRequests());
    it->second.last_pod_event = std::max(it->second.last_pod_event, p.bound_at);
  }
  std::vector<ports::NodeInfo> node_list;
  for (auto& [name, n] : nodes) node_list.push_back(std::move(n));

  std::vector<model::NodePool> pools;
  const auto pool_items = pools_->items();
  for (const auto& [key, object] : *pool_items) {
    if (auto p =
            DecodeYaml<model::NodePool>(*object, [](const codec::YamlField& f) { return codec::DecodeNodePool(f); })) {
      pools.push_back(std::move(*p));
    }
  }
  std::vector<model::DaemonSet> daemon_sets;
  const auto daemon_set_items = daemon_sets_->items();
  for (const auto& [key, object] : *daemon_set_items) {
    if (auto d = DecodeYaml<model::DaemonSet>(*object,
                                              [](const codec::YamlField& f) { return codec::DecodeDaemonSet(f); })) {
      daemon_sets.push_back(std::move(*d));
    }
  }
  std::vector<model::PodDisruptionBudget> pdbs;
  const auto pdb_items = pdbs_->items();
  for (const auto& [key, object] : *pdb_items) {
    if (auto d = DecodeYaml<model::PodDisruptionBudget>(
            *object, [](const codec::YamlField& f) { return codec::DecodePodDisruptionBudget(f); })) {
      pdbs.push_back(std::move(*d));
    }
  }

  auto name = [](const auto& o) { return ports::NameOf(o); };
  ports::ClusterSnapshot::Tables t;
  t.generation = generation;
  t.pods = ports::ClusterSnapshot::MakeTable(std::move(pods), name);
  t.pending = ports::ClusterSnapshot::MakeTable(std::move(pending), name);
  t.nodes = ports::ClusterSnapshot::MakeTable(std::move(node_list), name);
  t.claims = ports::ClusterSnapshot::MakeTable(std::move(claims), name);
  t.pools = std::make_shared<const std::vector<model::NodePool>>(std::move(pools));
  t.daemon_sets = std::make_shared<const std::vector<model::DaemonSet>>(std::move(daemon_sets));
  t.pdbs = std::make_shared<const std::vector<model::PodDisruptionBudget>>(std::move(pdbs));
  last_ = std::make_shared<const ports::ClusterSnapshot>(std::move(t));
  built_generation_ = generation;
  return last_;
}

std::optional<model::EC2NodeClass> KubeCluster::GetNodeClass(const std::string& name) const {
  auto items = node_classes_->items();
  auto it = items->find(name);
  if (it == items->end()) return std::nullopt;
  return DecodeYaml<model::EC2NodeClass>(*it->second,
                                         [](const codec::YamlField& f) { return codec::DecodeEC2NodeClass(f); });
}

std::vector<model::EC2NodeClass> KubeCluster::NodeClasses() const {
  std::vector<model::EC2NodeClass> out;
  const auto items = node_classes_->items();
  for (const auto& [name, object] : *items) {
    if (auto nc = GetNodeClass(name)) out.push_back(std::move(*nc));
  }
  return out;
}

std::vector<std::string> KubeCluster::MissingCrds() {
  std::vector<std::string> missing;
  for (const char* crd : {"nodepools.karpenter.sh", "nodeclaims.karpenter.sh", "ec2nodeclasses.karpenter.k8s.aws"}) {
    auto got = client_.Call("GET", std::string("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/") + crd);
    if (!got.ok()) missing.push_back(crd);
  }
  return missing;
}

Result<std::string> KubeCluster::CreateNodeClaim(model::NodeClaim claim, const std::string& node_pool) {
  ports::NodeClaimInfo info;
  info.claim = std::move(claim);
  info.node_pool = node_pool;
  info.created_at = now_();
  json body = EncodeNodeClaim(info);
  body["metadata"].erase("creationTimestamp");
  body.erase("status");
  auto made = client_.Call("POST", kClaims, &body);
  if (!made.ok()) return made.error();
  std::string name = NestedString(*made, "metadata", "name");
  // Created, but the answer does not say as what: the informer shows the
  // claim, and its pods are provisioned again (onto it) next batch.
  if (name.empty()) return Error::Unavailable("POST " + std::string(kClaims) + ": the answer has no metadata.name");
  if (claims_ != nullptr) claims_->Observe(*made);
  RecordEvent("NodeClaim", "", name, "Launched", "NodeClaim created for NodePool " + node_pool);
  return name;
}

Status KubeCluster::UpdateNodeClaim(const ports::NodeClaimInfo& info) {
  json body = EncodeNodeClaim(info);
  std::string path = std::string(kClaims) + "/" + info.claim.meta.name;
  body["metadata"]["resourceVersion"] = std::to_string(info.resource_version);
  // The finalizer list and deletion state belong to the server's copy.
  body["metadata"].erase("deletionTimestamp");
  auto main = client_.Call("PUT", path, &body);
  if (!main.ok()) return main.error();
  body["metadata"]["resourceVersion"] = NestedString(*main, "metadata", "resourceVersion");
  auto status = client_.Call("PUT", path + "/status", &body);
  if (!status.ok()) return status.error();
  if (claims_ != nullptr) claims_->Observe(*status);
  return OkStatus();
}

Status KubeCluster::RequestNodeClaimDeletion(const std::string& claim, const std::string& reason) {
  std::string path = std::string(kClaims) + "/" + claim;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto current = client_.Call("GET", path);
    if (!current.ok()) return current.error();
    auto info = DecodeNodeClaim(*current);
    if (!info.ok()) return info.error();
    if (info->deletion_requested_at) return OkStatus();  // asked before: not an error
    info->deletion_reason = reason;
    info->deletion_requested_at = now_();
    json body = EncodeNodeClaim(*info);
    body["metadata"].erase("deletionTimestamp");
    auto written = client_.Call("PUT", path + "/status", &body);
    if (!written.ok() && written.error().code == ErrorCode::kConflict) continue;  // re-read, retry
    if (!written.ok()) return written.error();
    auto deleted = client_.Call("DELETE", path);
    if (!deleted.ok() && deleted.error().code != ErrorCode::kNotFound) return deleted.error();
    RecordEvent("NodeClaim", "", claim, "DisruptionTerminating", "Disrupting NodeClaim: " + reason);
    return OkStatus();
  }
  return Error::Conflict("NodeClaim " + claim + " kept changing");
}

Status KubeCluster::RemoveNodeClaim(const std::string& claim) {
  std::string path = std::string(kClaims) + "/" + claim;
  auto current = client_.Call("GET", path);
  if (!current.ok()) return current.error().code == ErrorCode::kNotFound ? OkStatus() : Status(current.error());
  std::string provider = NestedString(*current, "status", "providerID");
  std::string node_name = NestedString(*current, "status", "nodeName");
  if (node_name.empty() && !provider.empty()) {
    const auto node_items = nodes_->items();
    for (const auto& [key, n] : *node_items) {
      if (NestedString(*n, "spec", "providerID") == provider) node_name = key;
    }
  }
  if (!node_name.empty()) {
    auto gone = client_.Call("DELETE", "/api/v1/nodes/" + node_name);
    if (!gone.ok() && gone.error().code != ErrorCode::kNotFound) return gone.error();
  }
  if (NestedString(*current, "metadata", "deletionTimestamp").empty()) {
    auto deleted = client_.Call("DELETE", path);
    if (!deleted.ok() && deleted.error().code != ErrorCode::kNotFound) return deleted.error();
  }
  json patch{{"metadata", {{"finalizers", nullptr}}}};
  auto released = client_.Call("PATCH", path, &patch, "application/merge-patch+json");
  if (!released.ok() && released.error().code != ErrorCode::kNotFound) return released.error();
  return OkStatus();
}

Status KubeCluster::NominatePod(const std::string& pod, const std::string& claim) {
  json patch{{"status", {{"nominatedNodeName", claim}}}};
  auto r = client_.Call("PATCH", PodPath(pod) + "/status", &patch, "application/merge-patch+json");
  if (!r.ok()) return r.error();
  // Read our own write at once: the next pass must not see the pod as not
  // nominated (and make it a second claim) while the watch catches up.
  if (pods_ != nullptr) pods_->Observe(*r);
  auto [ns, name] = SplitPod(pod);
  RecordEvent("Pod", ns, name, "Nominated", "Pod should schedule on: nodeclaim/" + claim);
  return OkStatus();
}

Status KubeCluster::EditNode(const std::string& node, const std::function<bool(json&)>& edit) {
  std::string path = "/api/v1/nodes/" + node;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto current = client_.Call("GET", path);
    if (!current.ok()) return current.error();
    json next = *current;
    if (!next.is_object()) return Error::Unavailable("GET " + path + ": the answer is not an object");
    if (!edit(next)) return OkStatus();  // nothing to change
    auto written = client_.Call("PUT", path, &next);
    if (written.ok()) return OkStatus();
    if (written.error().code != ErrorCode::kConflict) return written.error();
  }
  return Error::Conflict("Node " + node + " kept changing");
}

Status KubeCluster::TaintNode(const std::string& node, const model::Taint& taint) {
  return EditNode(node, [&](json& n) {
    json& taints = n["spec"]["taints"];
    if (!taints.is_array()) taints = json::array();
    for (const json& t : taints) {
      if (t.value("key", "") == taint.key && t.value("effect", "") == model::TaintEffectName(taint.effect)) {
        return false;
      }
    }
    taints.push_back(EncodeTaint(taint));
    return true;
  });
}

Status KubeCluster::RemoveTaint(const std::string& node, const std::string& key) {
  return EditNode(node, [&](json& n) {
    json& taints = n["spec"]["taints"];
    if (!taints.is_array()) return false;
    size_t before = taints.size();
    json kept = json::array();
    for (const json& t : taints) {
      if (t.value("key", "") != key) kept.push_back(t);
    }
    taints = kept;
    return kept.size() != before;
  });
}

Status KubeCluster::EvictPod(const std::string& pod) {
  auto [ns, name] = SplitPod(pod);
  json eviction{{"apiVersion", "policy/v1"}, {"kind", "Eviction"}, {"metadata", {{"name", name}, {"namespace", ns}}}};
  auto r = client_.Call("POST", PodPath(pod) + "/eviction", &eviction);
  if (!r.ok()) return r.error();
  return OkStatus();
}

Status KubeCluster::DeletePod(const std::string& pod) {
  auto r = client_.Call("DELETE", PodPath(pod));
  if (!r.ok()) return r.error();
  return OkStatus();
}

void KubeCluster::RecordEvent(const std::string& kind, const std::string& ns, const std::string& name,
                              const std::string& reason, const std::string& message, bool warning) {
  events_.Record(kind, ns, name, reason, message, warning);
}

}  // namespace adze::kube
