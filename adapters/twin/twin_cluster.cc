#include "adapters/twin/twin_cluster.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "adapters/kube/object_codec.h"
#include "model/labels.h"
#include "model/resource_list.h"
#include "model/taint.h"
#include "sim/scenario.h"

namespace adze::twin {
namespace {

using nlohmann::json;

// Marks the Nodes the twin's kubelets registered (it deletes only those).
constexpr const char* kKubeletAnnotation = "adze.dev/twin-kubelet";

std::string Name(const json& o) { return o["metadata"].value("name", ""); }
std::string Namespace(const json& o) { return o["metadata"].value("namespace", ""); }

int64_t Mid(const sim::DurationRange& r) { return (r.min + r.max) / 2; }

bool PodDone(const json& pod) {
  std::string phase = pod.value("status", json::object()).value("phase", "");
  return phase == "Succeeded" || phase == "Failed";
}

json Condition(const std::string& type, bool status, int64_t now, const std::string& reason = "",
               const std::string& message = "") {
  json c{{"type", type}, {"status", status ? "True" : "False"}, {"lastTransitionTime", kube::FormatTimestamp(now)}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

// Replaces (or adds) the condition of c's type; keeps the old transition time
// when the status did not change.
void SetCondition(json& status, json c) {
  json& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = json::array();
  for (json& old : conditions) {
    if (old.value("type", "") != c["type"]) continue;
    if (old.value("status", "") == c["status"]) c["lastTransitionTime"] = old.value("lastTransitionTime", "");
    old = std::move(c);
    return;
  }
  conditions.push_back(std::move(c));
}

// What besides its requests decides where a pod may go (the twin's scheduler
// checks taints and node labels only).
std::string SchedulingConstraints(const json& pod) {
  const json spec = pod.value("spec", json::object());
  std::string out;
  for (const char* field : {"tolerations", "nodeSelector", "affinity"}) {
    if (auto it = spec.find(field); it != spec.end()) out += "|" + it->dump();
  }
  return out;
}

bool MarkedUnschedulable(const json& pod) {
  const json status = pod.value("status", json::object());
  for (const json& c : status.value("conditions", json::array())) {
    if (c.value("type", "") == "PodScheduled") {
      return c.value("status", "") == "False" && c.value("reason", "") == "Unschedulable";
    }
  }
  return false;
}

}  // namespace

TwinCluster::TwinCluster(ObjectStore& store, double speed, const InstanceDirectory* instances)
    : store_(store), speed_(speed > 0 ? speed : 1), instances_(instances) {}

std::string TwinCluster::Ec2InstanceId(const std::string& provider_id) const {
  if (instances_ == nullptr || !provider_id.starts_with("aws:///")) return "";
  return provider_id.substr(provider_id.rfind('/') + 1);
}

void TwinCluster::Bootstrap() {
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    (void)store_.Create("namespaces", "",
                        json{{"apiVersion", "v1"},
                             {"kind", "Namespace"},
                             {"metadata", {{"name", ns}}},
                             {"status", {{"phase", "Active"}}}});
  }
  struct Crd {
    const char* group;
    const char* plural;
    const char* singular;
    const char* kind;
  };
  for (const Crd& c : {Crd{"karpenter.sh", "nodepools", "nodepool", "NodePool"},
                       Crd{"karpenter.sh", "nodeclaims", "nodeclaim", "NodeClaim"},
                       Crd{"karpenter.k8s.aws", "ec2nodeclasses", "ec2nodeclass", "EC2NodeClass"}}) {
    json crd{{"apiVersion", "apiextensions.k8s.io/v1"},
             {"kind", "CustomResourceDefinition"},
             {"metadata", {{"name", std::string(c.plural) + "." + c.group}}},
             {"spec",
              {{"group", c.group},
               {"scope", "Cluster"},
               {"names",
                {{"plural", c.plural},
                 {"singular", c.singular},
                 {"kind", c.kind},
                 {"categories", json::array({"karpenter"})}}},
               {"versions", json::array({json{{"name", "v1"},
                                              {"served", true},
                                              {"storage", true},
                                              {"subresources", {{"status", json::object()}}}}})}}},
             {"status", {{"conditions", json::array({json{{"type", "Established"}, {"status", "True"}}})}}}};
    (void)store_.Create("customresourcedefinitions.apiextensions.k8s.io", "", crd);
  }
}

void TwinCluster::Step(int64_t now) {
  Kubelets(now);
  CollectGarbage();
  workloads_.Step();
  Schedule(now);
}

void TwinCluster::Kubelets(int64_t now) {
  const sim::NodeTimings timings;
  std::set<std::string> nodes_by_provider;
  for (const json& n : store_.List("nodes", "").items) {
    nodes_by_provider.insert(n.value("spec", json::object()).value("providerID", ""));
  }
  std::set<std::string> live;
  for (const json& claim_json : store_.List("nodeclaims.karpenter.sh", "").items) {
    auto claim = kube::DecodeNodeClaim(claim_json);
    if (!claim.ok()) continue;
    const model::NodeClaim& c = claim->claim;
    if (c.provider_id.empty() || claim->deletion_requested_at) continue;
    // An EC2 instance boots from its launch, and only while it runs.
    const std::string instance_id = Ec2InstanceId(c.provider_id);
    int64_t booted_from = now;
    if (!instance_id.empty()) {
      const std::optional<InstanceState> instance = instances_->Find(instance_id);
      if (!instance || !instance->running) continue;
      booted_from = instance->launched_at;
    }
    live.insert(c.provider_id);
    const int64_t gpus = c.capacity.Get(model::resource::kNvidiaGpu).milli();
    bool gpu = gpus > 0;
    auto [it, fresh] = boots_.try_emplace(c.provider_id);
    Boot& boot = it->second;
    if (fresh) {
      if (nodes_by_provider.contains(c.provider_id)) {
        boot.registered = true;  // registered before this twin started (or by someone else)
        boot.ready_at = now;
        continue;
      }
      int64_t reg = Mid(gpu ? timings.gpu_registered : timings.cpu_registered);
      int64_t ready = Mid(gpu ? timings.gpu_ready : timings.cpu_ready);
      boot.register_at = booted_from + static_cast<int64_t>(static_cast<double>(reg) / speed_);
      boot.ready_at = booted_from + static_cast<int64_t>(static_cast<double>(ready) / speed_);
      if (gpu && !instance_id.empty()) {
        const int64_t plugin = Mid(timings.gpu_device_plugin);
        boot.gpu_at = booted_from + static_cast<int64_t>(static_cast<double>(ready + plugin) / speed_);
      }
    }
    std::string node_name = c.node_name.empty() ? c.meta.name : c.node_name;
    if (!boot.registered && now >= boot.register_at) {
      model::Node node;
      node.meta.name = node_name;
      node.meta.labels = c.meta.labels;
      for (const auto& [k, v] : c.requirements.SingleValuedLabels()) node.meta.labels.emplace(k, v);
      node.meta.labels[std::string{model::label::kHostname}] = node_name;
      node.meta.labels[std::string{model::label::kRegistered}] = "true";
      node.meta.annotations[kKubeletAnnotation] = "true";
      node.taints = c.taints;
      node.capacity = c.capacity.empty() ? c.requests : c.capacity;
      node.allocatable = c.allocatable.empty() ? node.capacity : c.allocatable;
      if (!node.allocatable.Has(model::resource::kPods)) {
        node.allocatable.Set(model::resource::kPods, model::Quantity::FromUnits(110));
      }
      node.provider_id = c.provider_id;
      node.ready = false;
      if (boot.gpu_at != 0) {
        // The GPUs are not advertised until the device plugin registers them.
        node.capacity.Set(model::resource::kNvidiaGpu, model::Quantity::FromUnits(0));
        node.allocatable.Set(model::resource::kNvidiaGpu, model::Quantity::FromUnits(0));
      }
      json encoded = kube::EncodeNode(node);
      encoded["metadata"]["ownerReferences"] = json::array({json{{"apiVersion", "karpenter.sh/v1"},
                                                                 {"kind", "NodeClaim"},
                                                                 {"name", c.meta.name},
                                                                 {"uid", c.meta.uid},
                                                                 {"blockOwnerDeletion", true}}});
      auto made = store_.Create("nodes", "", encoded);
      boot.registered = made.ok() || made.error().code == ErrorCode::kAlreadyExists;
    }
    if (boot.registered && boot.ready_at != 0 && now >= boot.ready_at) {
      (void)store_.Mutate("nodes", "", node_name, [&](json& n) -> Status {
        SetCondition(n["status"], Condition("Ready", true, now, "KubeletReady", "kubelet is posting ready status"));
        return OkStatus();
      });
      boot.ready_at = 0;  // done
    }
    if (boot.registered && boot.ready_at == 0 && boot.gpu_at != 0 && now >= boot.gpu_at) {
      const std::string count = std::to_string(gpus / 1000);
      (void)store_.Mutate("nodes", "", node_name, [&](json& n) -> Status {
        n["status"]["capacity"][std::string(model::resource::kNvidiaGpu)] = count;
        n["status"]["allocatable"][std::string(model::resource::kNvidiaGpu)] = count;
        return OkStatus();
      });
      boot.gpu_at = 0;
    }
  }
  for (auto it = boots_.begin(); it != boots_.end();) {
    it = live.contains(it->first) ? std::next(it) : boots_.erase(it);
  }
}

void TwinCluster::CollectGarbage() {
  std::set<std::string> claim_providers;
  for (const json& c : store_.List("nodeclaims.karpenter.sh", "").items) {
    claim_providers.insert(c.value("status", json::object()).value("providerID", ""));
  }
  std::set<std::string> nodes;
  for (const json& n : store_.List("nodes", "").items) {
    std::string pid = n.value("spec", json::object()).value("providerID", "");
    bool ours = n["metadata"].value("annotations", json::object()).contains(kKubeletAnnotation);
    // An EC2 instance that is no longer running takes its Node with it.
    const std::string instance_id = Ec2InstanceId(pid);
    bool gone = false;
    if (ours && !instance_id.empty()) {
      const std::optional<InstanceState> instance = instances_->Find(instance_id);
      gone = !instance || !instance->running;
    }
    if (ours && (gone || !claim_providers.contains(pid))) {
      (void)store_.Delete("nodes", "", Name(n));
      continue;
    }
    nodes.insert(Name(n));
  }
  for (const json& p : store_.List("pods", "").items) {
    std::string node = p.value("spec", json::object()).value("nodeName", "");
    if (!node.empty() && !nodes.contains(node)) (void)store_.Delete("pods", Namespace(p), Name(p));
  }
}

void TwinCluster::Schedule(int64_t now) {
  struct NodeRoom {
    std::string name;
    model::Node node;
    model::ResourceList free;
    // free less what pending pods nominated to this node (of a priority not
    // below the pod being placed) hold, as kube-scheduler's nominator does:
    // a node launched for some pods is not taken by others that happen to
    // come first.
    model::ResourceList available;
  };
  std::vector<NodeRoom> nodes;
  for (const json& n : store_.List("nodes", "").items) {
    auto node = kube::DecodeNode(n);
    if (!node.ok() || !node->ready || node->unschedulable) continue;
    nodes.push_back({node->meta.name, *node, node->allocatable, {}});
  }
  struct Pending {
    json object;
    ports::PodInfo info;
    model::ResourceList requests;
    NodeRoom* nominated = nullptr;  // a Ready node it is nominated to
    bool holds_room = false;        // its requests are out of nominated->available
  };
  std::vector<Pending> pending;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].name] = i;
  for (json& p : store_.List("pods", "").items) {
    auto info = kube::DecodePodInfo(p);
    if (!info.ok() || PodDone(p)) continue;
    if (!info->pod.node_name.empty()) {
      auto it = index.find(info->pod.node_name);
      if (it != index.end()) nodes[it->second].free.Subtract(info->pod.EffectiveRequests());
      continue;
    }
    if (info->deleting) continue;
    const std::string& scheduler = info->pod.scheduler_name;
    if (!scheduler.empty() && scheduler != "default-scheduler") continue;
    pending.push_back({std::move(p), std::move(*info), {}, nullptr, false});
  }
  for (NodeRoom& n : nodes) n.available = n.free;
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    if (a.info.pod.priority != b.info.pod.priority) return a.info.pod.priority > b.info.pod.priority;
    return a.info.created_at < b.info.created_at;
  });
  for (Pending& p : pending) {
    p.requests = p.info.pod.EffectiveRequests();
    const std::string nominated = p.object.value("status", json::object()).value("nominatedNodeName", "");
    if (auto it = index.find(nominated); !nominated.empty() && it != index.end()) p.nominated = &nodes[it->second];
  }
  // Nominations hold room from their priority level on (sorted: higher first).
  size_t reserved_upto = 0;
  std::set<std::string> fits_nowhere;  // shapes (requests and constraints)
  auto release = [](Pending& p) {
    if (!p.holds_room) return;
    p.nominated->available.Add(p.requests);
    p.holds_room = false;
  };
  for (Pending& p : pending) {
    for (; reserved_upto < pending.size() &&
           pending[reserved_upto].info.pod.priority >= p.info.pod.priority;
         ++reserved_upto) {
      Pending& held = pending[reserved_upto];
      if (held.nominated == nullptr) continue;
      held.nominated->available.Subtract(held.requests);
      held.holds_room = true;
    }
    const model::Pod& pod = p.info.pod;
    const model::ResourceList& requests = p.requests;
    release(p);  // its own nomination does not stand in its way
    auto fits = [&](const NodeRoom& n) {
      return !model::FirstUntolerated(n.node.taints, pod.tolerations) && pod.MatchesNodeLabels(n.node.meta.labels) &&
             model::ResourceList::Fits(requests, n.available);
    };
    NodeRoom* best = nullptr;
    // The nominated node wins when it fits; otherwise the most allocated.
    // A pod like one that fitted nowhere in this pass fits nowhere either
    // (room only shrinks within a pass): a burst of identical pods is not
    // tested against every node, once per pod. The next pass tries again.
    if (p.nominated != nullptr && fits(*p.nominated)) {
      best = p.nominated;
    } else if (const std::string shape = requests.ToString() + SchedulingConstraints(p.object);
               !fits_nowhere.contains(shape)) {
      for (NodeRoom& n : nodes) {
        if (!fits(n)) continue;
        // Most allocated: least CPU left.
        if (best == nullptr ||
            n.free.Get(model::resource::kCpu).milli() < best->free.Get(model::resource::kCpu).milli()) {
          best = &n;
        }
      }
      if (best == nullptr) fits_nowhere.insert(shape);
    }
    std::string ns = pod.meta.namespace_;
    if (best == nullptr) {
      if (p.nominated != nullptr) {  // still nominated: it keeps its room there
        p.nominated->available.Subtract(requests);
        p.holds_room = true;
      }
      // Marked once: rewriting the message each pass would send every
      // watcher an event per pending pod per pass.
      if (MarkedUnschedulable(p.object)) continue;
      std::string message = "0/" + std::to_string(nodes.size()) + " nodes are available";
      (void)store_.Mutate("pods", ns, pod.meta.name, [&](json& o) -> Status {
        if (!o.value("spec", json::object()).value("nodeName", "").empty()) return OkStatus();
        SetCondition(o["status"], Condition("PodScheduled", false, now, "Unschedulable", message));
        o["metadata"].erase("resourceVersion");
        return OkStatus();
      });
      continue;
    }
    best->free.Subtract(requests);
    best->available.Subtract(requests);
    auto bound = store_.Mutate("pods", ns, pod.meta.name, [&](json& o) -> Status {
      if (!o.value("spec", json::object()).value("nodeName", "").empty()) return Error::Conflict("already bound");
      o["spec"]["nodeName"] = best->name;
      json& status = o["status"];
      SetCondition(status, Condition("PodScheduled", true, now));
      // The twin's kubelet starts containers at once.
      status["phase"] = "Running";
      status["startTime"] = kube::FormatTimestamp(now);
      SetCondition(status, Condition("Initialized", true, now));
      SetCondition(status, Condition("ContainersReady", true, now));
      SetCondition(status, Condition("Ready", true, now));
      o["metadata"].erase("resourceVersion");
      return OkStatus();
    });
    if (bound.ok()) ++bound_;
  }
}

}  // namespace adze::twin
