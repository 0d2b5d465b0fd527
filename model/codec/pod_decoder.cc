#include "model/codec/pod_decoder.h"

#include <string>
#include <vector>

#include "model/codec/core_decoders.h"
#include "model/labels.h"

namespace adze::codec {
namespace {

using model::TopologySpreadConstraint;

model::ContainerPort DecodePort(const YamlField& port, bool host_network) {
  port.CheckFields({"containerPort", "hostPort", "hostIP", "protocol"}, {"name"});
  model::ContainerPort out;
  out.container_port = port["containerPort"].Int32(1, 65535);
  out.host_port = port["hostPort"].OptInt32(0, 65535).value_or(0);
  // With hostNetwork the API server defaults hostPort to containerPort.
  if (host_network && out.host_port == 0) out.host_port = out.container_port;
  out.host_ip = port["hostIP"].StringOr("");
  out.protocol = port["protocol"].OptKeyword({"TCP", "UDP", "SCTP"}).value_or("TCP");
  return out;
}

model::Container DecodeContainer(const YamlField& container, bool init, bool host_network) {
  container.CheckFields(
      {"name", "image", "resources", "ports", "restartPolicy"},
      {"command", "args", "env", "envFrom", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe",
       "startupProbe", "lifecycle", "imagePullPolicy", "securityContext", "terminationMessagePath",
       "terminationMessagePolicy", "workingDir", "stdin", "stdinOnce", "tty", "resizePolicy",
       "restartPolicyRules"});
  model::Container out;
  out.name = container["name"].String();
  out.image = container["image"].StringOr("");
  YamlField resources = container["resources"];
  resources.CheckFields({"requests", "limits"}, {"claims"});
  out.requests = resources["requests"].ResourceAmounts();
  out.limits = resources["limits"].ResourceAmounts();
  // As the API server does: a resource with a limit but no request is
  // requested at its limit.
  for (const auto& [name, limit] : out.limits) {
    if (!out.requests.Has(name)) out.requests.Set(name, limit);
  }
  for (const YamlField& port : container["ports"].Items()) out.ports.push_back(DecodePort(port, host_network));
  if (init) {
    // Sidecars: init containers that keep running beside the app.
    out.restart_always = container["restartPolicy"].OptKeyword({"Always"}).has_value();
  }
  return out;
}

void DecodeNodeAffinity(const YamlField& affinity, model::Pod& pod) {
  affinity.CheckFields({"requiredDuringSchedulingIgnoredDuringExecution",
                        "preferredDuringSchedulingIgnoredDuringExecution"});
  pod.required_node_affinity = DecodeNodeSelector(affinity["requiredDuringSchedulingIgnoredDuringExecution"]);
  for (const YamlField& pref : affinity["preferredDuringSchedulingIgnoredDuringExecution"].Items()) {
    pref.CheckFields({"weight", "preference"});
    pod.preferred_node_affinity.push_back(model::PreferredNodeTerm{
        .weight = pref["weight"].Int32(1, 100),
        .requirements = DecodeNodeSelectorTerm(pref["preference"].RequireMap()),
    });
  }
}

model::PodAffinityTerm DecodePodAffinityTerm(const YamlField& term) {
  term.CheckFields({"labelSelector", "namespaces", "topologyKey", "matchLabelKeys", "namespaceSelector",
                    "mismatchLabelKeys"});
  model::PodAffinityTerm out;
  if (term["labelSelector"].present()) out.label_selector = DecodeLabelSelector(term["labelSelector"]);
  out.namespaces = term["namespaces"].StringList();
  out.topology_key = term["topologyKey"].String();
  if (out.topology_key.empty()) term["topologyKey"].Fail("topologyKey must not be empty");
  out.match_label_keys = term["matchLabelKeys"].StringList();
  // Valid Kubernetes, but adze does not model them: say so rather than
  // silently scheduling differently.
  if (term["namespaceSelector"].present()) term["namespaceSelector"].Warn("namespaceSelector is not modelled (ignored)");
  if (term["mismatchLabelKeys"].present()) term["mismatchLabelKeys"].Warn("mismatchLabelKeys is not modelled (ignored)");
  return out;
}

void DecodePodAffinity(const YamlField& affinity, std::vector<model::PodAffinityTerm>& required,
                       std::vector<model::WeightedPodAffinityTerm>& preferred) {
  affinity.CheckFields({"requiredDuringSchedulingIgnoredDuringExecution",
                        "preferredDuringSchedulingIgnoredDuringExecution"});
  for (const YamlField& term : affinity["requiredDuringSchedulingIgnoredDuringExecution"].Items()) {
    required.push_back(DecodePodAffinityTerm(term));
  }
  for (const YamlField& pref : affinity["preferredDuringSchedulingIgnoredDuringExecution"].Items()) {
    pref.CheckFields({"weight", "podAffinityTerm"});
    preferred.push_back(model::WeightedPodAffinityTerm{
        .weight = pref["weight"].Int32(1, 100),
        .term = DecodePodAffinityTerm(pref["podAffinityTerm"].RequireMap()),
    });
  }
}

// volumes[]: the PVCs the pod uses. Other volume sources do not constrain
// placement and are accepted without warnings.
void DecodeVolume(const YamlField& volume, model::Pod& pod) {
  volume.CheckFields(
      {"name", "persistentVolumeClaim", "ephemeral"},
      {"emptyDir", "configMap", "secret", "projected", "downwardAPI", "hostPath", "csi", "nfs", "image",
       "awsElasticBlockStore", "fc", "iscsi", "local", "gitRepo", "cephfs", "rbd", "glusterfs", "flexVolume"});
  volume["name"].String();
  YamlField pvc = volume["persistentVolumeClaim"];
  if (pvc.present()) {
    pvc.CheckFields({"claimName"}, {"readOnly"});
    std::string claim = pvc["claimName"].String();
    if (claim.empty()) pvc["claimName"].FailExpected("the name of a PersistentVolumeClaim");
    pod.volume_claims.push_back(std::move(claim));
  }
  if (volume["ephemeral"].present()) {
    volume["ephemeral"].Warn("ephemeral volumes are not modelled (their PVC does not constrain the node)");
  }
}

TopologySpreadConstraint::Policy DecodePolicy(const YamlField& policy, TopologySpreadConstraint::Policy def) {
  std::optional<std::string> p = policy.OptKeyword({"Honor", "Ignore"});
  if (!p) return def;
  return *p == "Honor" ? TopologySpreadConstraint::Policy::kHonor : TopologySpreadConstraint::Policy::kIgnore;
}

TopologySpreadConstraint DecodeTopologySpread(const YamlField& tsc) {
  tsc.CheckFields({"maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains",
                   "nodeAffinityPolicy", "nodeTaintsPolicy", "matchLabelKeys"});
  TopologySpreadConstraint out;
  out.max_skew = tsc["maxSkew"].Int32(1);
  out.topology_key = tsc["topologyKey"].String();
  if (out.topology_key.empty()) tsc["topologyKey"].Fail("topologyKey must not be empty");
  out.when_unsatisfiable = tsc["whenUnsatisfiable"].Keyword({"DoNotSchedule", "ScheduleAnyway"}) == "DoNotSchedule"
                               ? TopologySpreadConstraint::WhenUnsatisfiable::kDoNotSchedule
                               : TopologySpreadConstraint::WhenUnsatisfiable::kScheduleAnyway;
  if (tsc["labelSelector"].present()) out.label_selector = DecodeLabelSelector(tsc["labelSelector"]);
  out.min_domains = tsc["minDomains"].OptInt32(1);
  if (out.min_domains && out.when_unsatisfiable != TopologySpreadConstraint::WhenUnsatisfiable::kDoNotSchedule) {
    tsc["minDomains"].Fail("minDomains requires whenUnsatisfiable DoNotSchedule");
  }
  out.node_affinity_policy = DecodePolicy(tsc["nodeAffinityPolicy"], TopologySpreadConstraint::Policy::kHonor);
  out.node_taints_policy = DecodePolicy(tsc["nodeTaintsPolicy"], TopologySpreadConstraint::Policy::kIgnore);
  out.match_label_keys = tsc["matchLabelKeys"].StringList();
  return out;
}

void DecodePodSpec(const YamlField& spec, model::Pod& pod) {
  spec.RequireMap();
  spec.CheckFields(
      {"containers", "initContainers", "overhead", "nodeSelector", "affinity", "tolerations",
       "topologySpreadConstraints", "priority", "priorityClassName", "nodeName", "schedulerName",
       "terminationGracePeriodSeconds", "hostNetwork", "volumes"},
      {"serviceAccountName", "serviceAccount", "automountServiceAccountToken", "securityContext",
       "dnsPolicy", "dnsConfig", "restartPolicy", "enableServiceLinks", "hostPID", "hostIPC", "hostname",
       "subdomain", "imagePullSecrets", "preemptionPolicy", "readinessGates", "runtimeClassName",
       "setHostnameAsFQDN", "shareProcessNamespace", "ephemeralContainers", "activeDeadlineSeconds",
       "hostAliases", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources"});
  bool host_network = spec["hostNetwork"].BoolOr(false);
  std::vector<YamlField> containers = spec["containers"].Items();
  if (containers.empty()) spec["containers"].Fail("a pod needs at least one container");
  for (const YamlField& c : containers) pod.containers.push_back(DecodeContainer(c, false, host_network));
  for (const YamlField& c : spec["initContainers"].Items()) {
    pod.init_containers.push_back(DecodeContainer(c, true, host_network));
  }
  pod.overhead = spec["overhead"].ResourceAmounts();
  for (const auto& [key, value] : spec["nodeSelector"].Entries()) {
    pod.node_selector[std::string(model::NormalizeLabelKey(key))] = value.StringOr("");
  }
  YamlField affinity = spec["affinity"];
  affinity.CheckFields({"nodeAffinity", "podAffinity", "podAntiAffinity"});
  DecodeNodeAffinity(affinity["nodeAffinity"], pod);
  DecodePodAffinity(affinity["podAffinity"], pod.required_pod_affinity, pod.preferred_pod_affinity);
  DecodePodAffinity(affinity["podAntiAffinity"], pod.required_pod_anti_affinity, pod.preferred_pod_anti_affinity);
  for (const YamlField& t : spec["tolerations"].Items()) pod.tolerations.push_back(DecodeToleration(t));
  for (const YamlField& t : spec["topologySpreadConstraints"].Items()) {
    pod.topology_spread.push_back(DecodeTopologySpread(t));
  }
  pod.priority = spec["priority"].OptInt32().value_or(0);
  pod.priority_class_name = spec["priorityClassName"].StringOr("");
  pod.node_name = spec["nodeName"].StringOr("");
  pod.scheduler_name = spec["schedulerName"].StringOr("default-scheduler");
  pod.termination_grace_period_seconds = spec["terminationGracePeriodSeconds"].OptInt(0).value_or(30);
  for (const YamlField& v : spec["volumes"].Items()) DecodeVolume(v, pod);
}

}  // namespace

model::Pod DecodePod(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::Pod pod;
  pod.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  DecodePodSpec(object["spec"], pod);
  return pod;
}

model::Pod DecodePodTemplate(const YamlField& pod_template, const model::ObjectMeta& owner,
                             std::string_view owner_kind) {
  pod_template.RequireMap();
  pod_template.CheckFields({"metadata", "spec"});
  model::Pod pod;
  pod.meta = DecodeObjectMeta(pod_template["metadata"], MetaScope::kTemplate);
  pod.meta.namespace_ = owner.namespace_;
  pod.meta.owner = model::OwnerReference{.kind = std::string(owner_kind), .name = owner.name, .controller = true};
  DecodePodSpec(pod_template["spec"], pod);
  return pod;
}

}  // namespace adze::codec
