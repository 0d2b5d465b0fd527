#include "adapters/kube/object_codec.h"

#include <charconv>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/kube/json_yaml.h"
#include "model/civil_time.h"
#include "model/codec/core_decoders.h"
#include "model/codec/node_decoder.h"
#include "model/codec/pod_decoder.h"
#include "model/codec/yaml_field.h"
#include "model/quantity.h"
#include "model/timestamp.h"

namespace adze::kube {
namespace {

using nlohmann::json;

// Runs a model decoder over a JSON value; a DecodeError becomes an
// InvalidArgument naming the field.
template <typename T, typename F>
Result<T> DecodeWith(const json& value, std::string_view what, F&& decode) {
  codec::DecodeContext ctx(std::string{what});
  try {
    codec::YamlField root(JsonToYaml(value), &ctx);
    return decode(root);
  } catch (const codec::DecodeError& e) {
    return Error::InvalidArgument(e.what());
  }
}

std::string StringAt(const json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

const json& Child(const json& object, std::string_view key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

Result<model::Duration> TimeAt(const json& object, std::string_view key) {
  std::string text = StringAt(object, key);
  if (text.empty()) return Error::NotFound(std::string{key});
  return model::ParseTimestamp(text);
}

Result<model::ResourceList> DecodeResourceList(const json& list, std::string_view field) {
  model::ResourceList out;
  if (!list.is_object()) return out;
  for (auto it = list.begin(); it != list.end(); ++it) {
    std::string text = it->is_string() ? it->get<std::string>() : it->dump();
    auto q = model::Quantity::Parse(text);
    if (!q.ok()) return Error::InvalidArgument(std::string{field} + "." + it.key() + ": " + q.error().message);
    out.Set(it.key(), *q);
  }
  return out;
}

Result<std::vector<model::Taint>> DecodeTaints(const json& list, std::string_view field) {
  std::vector<model::Taint> out;
  if (!list.is_array()) return out;
  for (const json& t : list) {
    model::Taint taint;
    taint.key = StringAt(t, "key");
    taint.value = StringAt(t, "value");
    auto effect = model::ParseTaintEffect(StringAt(t, "effect"));
    if (!effect) return Error::InvalidArgument(std::string{field} + ": taint " + taint.key + " has no valid effect");
    taint.effect = *effect;
    out.push_back(std::move(taint));
  }
  return out;
}

// The condition of that type, or null.
const json& Condition(const json& status, std::string_view type) {
  static const json kNull;
  const json& conditions = Child(status, "conditions");
  if (!conditions.is_array()) return kNull;
  for (const json& c : conditions) {
    if (StringAt(c, "type") == type) return c;
  }
  return kNull;
}

bool ConditionTrue(const json& status, std::string_view type) {
  return StringAt(Condition(status, type), "status") == "True";
}

json MakeCondition(std::string_view type, bool status, model::Duration at, std::string_view reason) {
  return json{{"type", type},
              {"status", status ? "True" : "False"},
              {"lastTransitionTime", FormatTimestamp(at)},
              {"reason", reason},
              {"message", ""}};
}

}  // namespace

std::string FormatTimestamp(model::Duration t) {
  int64_t seconds = model::FloorDiv(t, model::kSecond);
  int64_t days = model::FloorDiv(seconds, 86400);
  int64_t rest = seconds - days * 86400;
  model::CivilDate d = model::CivilFromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ", static_cast<long long>(d.year), d.month,
                d.day, static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  return buf;
}

json EncodeObjectMeta(const model::ObjectMeta& meta) {
  json out = json::object();
  out["name"] = meta.name;
  if (!meta.namespace_.empty()) out["namespace"] = meta.namespace_;
  if (!meta.uid.empty()) out["uid"] = meta.uid;
  if (!meta.labels.empty()) out["labels"] = meta.labels;
  if (!meta.annotations.empty()) out["annotations"] = meta.annotations;
  if (meta.owner) {
    out["ownerReferences"] = json::array({json{{"apiVersion", "v1"},
                                               {"kind", meta.owner->kind},
                                               {"name", meta.owner->name},
                                               {"uid", ""},
                                               {"controller", meta.owner->controller}}});
  }
  if (meta.creation_time != 0) out["creationTimestamp"] = FormatTimestamp(meta.creation_time);
  return out;
}

json EncodeTaint(const model::Taint& taint) {
  json out{{"key", taint.key}, {"effect", model::TaintEffectName(taint.effect)}};
  if (!taint.value.empty()) out["value"] = taint.value;
  return out;
}

json EncodeResourceList(const model::ResourceList& list) {
  json out = json::object();
  for (const auto& [name, q] : list.entries()) out[name] = q.ToString();
  return out;
}

json EncodeRequirements(const model::Requirements& reqs) {
  json out = json::array();
  for (const model::Requirement& r : reqs.All()) {
    auto add = [&](std::string_view op, std::vector<std::string> values) {
      json e{{"key", r.key()}, {"operator", op}};
      if (!values.empty()) e["values"] = std::move(values);
      if (r.min_values()) e["minValues"] = *r.min_values();
      out.push_back(std::move(e));
    };
    if (!r.complement()) {
      // The empty set is how the model spells DoesNotExist.
      if (r.values().empty()) {
        add("DoesNotExist", {});
      } else {
        add("In", r.values());
      }
      continue;
    }
    bool bounded = r.lower_bound() || r.upper_bound();
    if (!bounded) {
      if (r.values().empty()) {
        add("Exists", {});
      } else {
        add("NotIn", r.values());
      }
      continue;
    }
    // Bounds are inclusive in the model; Gt/Lt are exclusive in the API.
    if (r.lower_bound()) add("Gt", {std::to_string(*r.lower_bound() - 1)});
    if (r.upper_bound()) add("Lt", {std::to_string(*r.upper_bound() + 1)});
    if (!r.values().empty()) add("NotIn", r.values());
  }
  return out;
}

Result<model::Requirements> DecodeRequirements(const json& list) {
  model::Requirements out;
  if (!list.is_array()) return out;
  for (const json& e : list) {
    std::string key = StringAt(e, "key");
    auto op = model::ParseOperator(StringAt(e, "operator"));
    if (key.empty() || !op) return Error::InvalidArgument("requirement without a key or a valid operator");
    std::vector<std::string> values;
    if (const json& v = Child(e, "values"); v.is_array()) {
      for (const json& s : v) values.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    }
    if (*op == model::Operator::kGt || *op == model::Operator::kLt || *op == model::Operator::kGte ||
        *op == model::Operator::kLte) {
      int64_t n = 0;
      const std::string* v = values.size() == 1 ? &values[0] : nullptr;
      if (v == nullptr || std::from_chars(v->data(), v->data() + v->size(), n).ptr != v->data() + v->size()) {
        return Error::InvalidArgument("requirement " + key + ": operator needs exactly one integer value");
      }
    }
    std::optional<int> min_values;
    if (const json& mv = Child(e, "minValues"); mv.is_number_integer()) min_values = mv.get<int>();
    out.Add(model::Requirement(key, *op, std::move(values), min_values));
  }
  return out;
}

json EncodeNode(const model::Node& node) {
  json spec = json::object();
  if (!node.taints.empty()) {
    spec["taints"] = json::array();
    for (const model::Taint& t : node.taints) spec["taints"].push_back(EncodeTaint(t));
  }
  if (!node.provider_id.empty()) spec["providerID"] = node.provider_id;
  if (node.unschedulable) spec["unschedulable"] = true;
  json status{{"capacity", EncodeResourceList(node.capacity)},
              {"allocatable", EncodeResourceList(node.allocatable)},
              {"conditions", json::array({json{{"type", "Ready"},
                                               {"status", node.ready ? "True" : "False"},
                                               {"reason", node.ready ? "KubeletReady" : "KubeletNotReady"}}})}};
  return json{{"apiVersion", "v1"},
              {"kind", "Node"},
              {"metadata", EncodeObjectMeta(node.meta)},
              {"spec", std::move(spec)},
              {"status", std::move(status)}};
}

Result<model::Node> DecodeNode(const json& object) {
  return DecodeWith<model::Node>(object, "Node", [](const codec::YamlField& f) { return codec::DecodeNode(f); });
}

json EncodeNodeClaim(const ports::NodeClaimInfo& info) {
  const model::NodeClaim& c = info.claim;
  model::ObjectMeta meta = c.meta;
  if (!info.node_pool.empty()) meta.labels[std::string{model::label::kNodePool}] = info.node_pool;
  if (!info.instance_type.empty()) meta.labels[std::string{model::label::kInstanceType}] = info.instance_type;
  if (!info.zone.empty()) meta.labels[std::string{model::label::kZone}] = info.zone;
  if (!info.capacity_type.empty()) meta.labels[std::string{model::label::kCapacityType}] = info.capacity_type;
  if (info.price_per_hour > 0) meta.annotations[std::string{kPriceAnnotation}] = json(info.price_per_hour).dump();
  if (info.created_at != 0) meta.creation_time = info.created_at;
  json metadata = EncodeObjectMeta(meta);
  metadata["finalizers"] = json::array({kTerminationFinalizer});
  if (info.resource_version != 0) metadata["resourceVersion"] = std::to_string(info.resource_version);
  if (info.deletion_requested_at) metadata["deletionTimestamp"] = FormatTimestamp(*info.deletion_requested_at);

  json spec = json::object();
  spec["requirements"] = EncodeRequirements(c.requirements);
  spec["resources"] = json{{"requests", EncodeResourceList(c.requests)}};
  spec["nodeClassRef"] =
      json{{"group", c.node_class_ref.group}, {"kind", c.node_class_ref.kind}, {"name", c.node_class_ref.name}};
  auto taints = [](const std::vector<model::Taint>& ts) {
    json a = json::array();
    for (const model::Taint& t : ts) a.push_back(EncodeTaint(t));
    return a;
  };
  if (!c.taints.empty()) spec["taints"] = taints(c.taints);
  if (!c.startup_taints.empty()) spec["startupTaints"] = taints(c.startup_taints);
  if (c.termination_grace_period) spec["terminationGracePeriod"] = model::FormatDuration(*c.termination_grace_period);
  if (c.expire_after) spec["expireAfter"] = model::FormatDuration(*c.expire_after);

  json status = json::object();
  if (!c.node_name.empty()) status["nodeName"] = c.node_name;
  if (!c.provider_id.empty()) status["providerID"] = c.provider_id;
  if (!c.image_id.empty()) status["imageID"] = c.image_id;
  if (!c.capacity.empty()) status["capacity"] = EncodeResourceList(c.capacity);
  if (!c.allocatable.empty()) status["allocatable"] = EncodeResourceList(c.allocatable);
  json conditions = json::array();
  if (c.launched && info.launched_at)
    conditions.push_back(MakeCondition("Launched", true, *info.launched_at, "Launched"));
  if (c.registered && info.registered_at) {
    conditions.push_back(MakeCondition("Registered", true, *info.registered_at, "Registered"));
  }
  if (c.initialized && info.initialized_at) {
    conditions.push_back(MakeCondition("Initialized", true, *info.initialized_at, "Initialized"));
    // Karpenter's root condition, for `kubectl get nodeclaims` (not read back).
    conditions.push_back(MakeCondition("Ready", true, *info.initialized_at, "Ready"));
  }
  if (c.drifted) conditions.push_back(MakeCondition("Drifted", true, info.created_at, *c.drifted));
  if (!info.deletion_reason.empty()) {
    conditions.push_back(MakeCondition(kDisruptionReasonCondition, true,
                                       info.deletion_requested_at.value_or(info.created_at), info.deletion_reason));
  }
  if (!conditions.empty()) status["conditions"] = std::move(conditions);
  return json{{"apiVersion", "karpenter.sh/v1"},
              {"kind", "NodeClaim"},
              {"metadata", std::move(metadata)},
              {"spec", std::move(spec)},
              {"status", std::move(status)}};
}

Result<ports::NodeClaimInfo> DecodeNodeClaim(const json& object) {
  if (!object.is_object()) return Error::InvalidArgument("NodeClaim: not a JSON object");
  ports::NodeClaimInfo info;
  model::NodeClaim& c = info.claim;
  const json& metadata = Child(object, "metadata");
  auto meta = DecodeWith<model::ObjectMeta>(metadata, "NodeClaim.metadata", [](const codec::YamlField& f) {
    return codec::DecodeObjectMeta(f, codec::MetaScope::kCluster);
  });
  if (!meta.ok()) return meta.error();
  c.meta = std::move(*meta);
  info.created_at = c.meta.creation_time;
  info.resource_version = ResourceVersionOf(object);
  if (auto t = TimeAt(metadata, "deletionTimestamp"); t.ok()) info.deletion_requested_at = *t;
  // Labels the adapter derived from fields are given back to their fields.
  auto take = [&](std::string_view key, std::string& into) {
    auto it = c.meta.labels.find(key);
    if (it != c.meta.labels.end()) into = it->second;
  };
  take(model::label::kNodePool, info.node_pool);
  take(model::label::kInstanceType, info.instance_type);
  take(model::label::kZone, info.zone);
  take(model::label::kCapacityType, info.capacity_type);
  if (auto it = c.meta.annotations.find(kPriceAnnotation); it != c.meta.annotations.end()) {
    try {
      info.price_per_hour = std::stod(it->second);
    } catch (const std::exception&) {
      return Error::InvalidArgument("NodeClaim " + c.meta.name + ": annotation " + std::string{kPriceAnnotation} +
                                    " is not a number: " + it->second);
    }
  }

  const json& spec = Child(object, "spec");
  auto reqs = DecodeRequirements(Child(spec, "requirements"));
  if (!reqs.ok()) return Error::InvalidArgument("NodeClaim " + c.meta.name + ": " + reqs.error().message);
  c.requirements = std::move(*reqs);
  auto requests = DecodeResourceList(Child(Child(spec, "resources"), "requests"), "spec.resources.requests");
  if (!requests.ok()) return requests.error();
  c.requests = std::move(*requests);
  const json& ref = Child(spec, "nodeClassRef");
  if (ref.is_object()) {
    c.node_class_ref.group = StringAt(ref, "group");
    c.node_class_ref.kind = StringAt(ref, "kind");
    c.node_class_ref.name = StringAt(ref, "name");
  }
  auto taints = DecodeTaints(Child(spec, "taints"), "spec.taints");
  if (!taints.ok()) return taints.error();
  c.taints = std::move(*taints);
  auto startup = DecodeTaints(Child(spec, "startupTaints"), "spec.startupTaints");
  if (!startup.ok()) return startup.error();
  c.startup_taints = std::move(*startup);
  for (auto [key, into] :
       {std::pair{"terminationGracePeriod", &c.termination_grace_period}, std::pair{"expireAfter", &c.expire_after}}) {
    std::string text = StringAt(spec, key);
    if (text.empty() || text == "Never") continue;
    auto d = model::ParseDuration(text);
    if (!d.ok()) return Error::InvalidArgument(std::string("spec.") + key + ": " + d.error().message);
    *into = *d;
  }

  const json& status = Child(object, "status");
  c.node_name = StringAt(status, "nodeName");
  c.provider_id = StringAt(status, "providerID");
  c.image_id = StringAt(status, "imageID");
  auto capacity = DecodeResourceList(Child(status, "capacity"), "status.capacity");
  if (!capacity.ok()) return capacity.error();
  c.capacity = std::move(*capacity);
  auto allocatable = DecodeResourceList(Child(status, "allocatable"), "status.allocatable");
  if (!allocatable.ok()) return allocatable.error();
  c.allocatable = std::move(*allocatable);
  auto stamp = [&](std::string_view type, bool& flag, std::optional<model::Duration>& at) {
    const json& cond = Condition(status, type);
    flag = StringAt(cond, "status") == "True";
    if (flag) {
      auto t = TimeAt(cond, "lastTransitionTime");
      at = t.ok() ? *t : info.created_at;
    }
  };
  stamp("Launched", c.launched, info.launched_at);
  stamp("Registered", c.registered, info.registered_at);
  stamp("Initialized", c.initialized, info.initialized_at);
  if (ConditionTrue(status, "Drifted")) c.drifted = StringAt(Condition(status, "Drifted"), "reason");
  if (ConditionTrue(status, kDisruptionReasonCondition)) {
    info.deletion_reason = StringAt(Condition(status, kDisruptionReasonCondition), "reason");
  }
  return info;
}

Result<ports::PodInfo> DecodePodInfo(const json& object) {
  auto pod = DecodeWith<model::Pod>(object, "Pod", [](const codec::YamlField& f) { return codec::DecodePod(f); });
  if (!pod.ok()) return pod.error();
  ports::PodInfo info;
  info.pod = std::move(*pod);
  info.created_at = info.pod.meta.creation_time;
  info.deleting = info.pod.meta.deleting;
  const json& status = Child(object, "status");
  std::string phase = StringAt(status, "phase");
  bool bound = !info.pod.node_name.empty();
  if (phase == "Succeeded") {
    info.phase = ports::PodPhase::kSucceeded;
  } else if (phase == "Failed") {
    info.phase = ports::PodPhase::kFailed;
  } else if (phase == "Running" && ConditionTrue(status, "Ready")) {
    info.phase = ports::PodPhase::kRunning;
  } else {
    info.phase = bound ? ports::PodPhase::kStarting : ports::PodPhase::kPending;
  }
  const json& scheduled = Condition(status, "PodScheduled");
  info.unschedulable =
      !bound && StringAt(scheduled, "status") == "False" && StringAt(scheduled, "reason") == "Unschedulable";
  info.nominated_node_claim = StringAt(status, "nominatedNodeName");
  if (bound) {
    auto t = TimeAt(scheduled, "lastTransitionTime");
    info.bound_at = t.ok() ? *t : info.created_at;
  }
  if (info.phase == ports::PodPhase::kRunning) {
    auto t = TimeAt(Condition(status, "Ready"), "lastTransitionTime");
    info.running_at = t.ok() ? *t : info.bound_at;
  }
  return info;
}

uint64_t ResourceVersionOf(const json& object) {
  std::string rv = StringAt(Child(object, "metadata"), "resourceVersion");
  if (rv.empty() || rv.size() > 19) return 0;
  uint64_t out = 0;
  for (char ch : rv) {
    if (ch < '0' || ch > '9') return 0;
    out = out * 10 + static_cast<uint64_t>(ch - '0');
  }
  return out;
}

}  // namespace adze::kube
