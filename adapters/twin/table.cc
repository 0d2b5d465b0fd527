#include "adapters/twin/table.h"

#include <chrono>
#include <functional>

#include "model/timestamp.h"

namespace adze::twin {
namespace {

using nlohmann::json;

struct Column {
  std::string name;
  std::string type;  // string | integer | date
  int priority = 0;  // 1: shown with -o wide
  std::function<json(const json&)> cell;
};

std::string Str(const json& o, std::initializer_list<const char*> path) {
  const json* cur = &o;
  for (const char* p : path) {
    if (!cur->is_object() || !cur->contains(p)) return "";
    cur = &(*cur)[p];
  }
  return cur->is_string() ? cur->get<std::string>() : cur->is_null() ? "" : cur->dump();
}

std::string Label(const json& o, const char* key) {
  const json& labels = o["metadata"].value("labels", json::object());
  return labels.contains(key) && labels[key].is_string() ? labels[key].get<std::string>() : "";
}

std::string OrNone(std::string s) { return s.empty() ? "<none>" : s; }

std::string ConditionStatus(const json& o, const char* type) {
  const json& conditions = o.value("status", json::object()).value("conditions", json::array());
  for (const json& c : conditions) {
    if (c.value("type", "") == type) return c.value("status", "");
  }
  return "";
}

std::string Age(const json& o) {
  auto t = model::ParseTimestamp(Str(o, {"metadata", "creationTimestamp"}));
  if (!t.ok()) return "<unknown>";
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return HumanAge(now - *t / 1000000);
}

std::vector<Column> Columns(const ResourceType& type) {
  Column name{"Name", "string", 0, [](const json& o) { return json(Str(o, {"metadata", "name"})); }};
  Column age{"Age", "string", 0, [](const json& o) { return json(Age(o)); }};
  if (type.kind == "Pod") {
    return {name,
            {"Ready", "string", 0,
             [](const json& o) {
               size_t n = o.value("spec", json::object()).value("containers", json::array()).size();
               size_t ready = ConditionStatus(o, "Ready") == "True" ? n : 0;
               return json(std::to_string(ready) + "/" + std::to_string(n));
             }},
            {"Status", "string", 0,
             [](const json& o) {
               if (!Str(o, {"metadata", "deletionTimestamp"}).empty()) return json("Terminating");
               return json(OrNone(Str(o, {"status", "phase"})));
             }},
            {"Restarts", "integer", 0, [](const json&) { return json(0); }},
            age,
            {"Node", "string", 1,
             [](const json& o) {
               return json(OrNone(Str(o, {"spec", "nodeName"})));
             }},
            {"Nominated Node", "string", 1, [](const json& o) {
               return json(OrNone(Str(o, {"status", "nominatedNodeName"})));
             }}};
  }
  if (type.kind == "Node") {
    return {name,
            {"Status", "string", 0,
             [](const json& o) {
               std::string s = ConditionStatus(o, "Ready") == "True" ? "Ready" : "NotReady";
               if (o.value("spec", json::object()).value("unschedulable", false)) s += ",SchedulingDisabled";
               return json(s);
             }},
            {"Roles", "string", 0, [](const json&) { return json("<none>"); }},
            age,
            {"Version", "string", 0, [](const json&) { return json("v1.32.0-adze-twin"); }},
            {"Instance-Type", "string", 1,
             [](const json& o) { return json(OrNone(Label(o, "node.kubernetes.io/instance-type"))); }},
            {"Provider-ID", "string", 1, [](const json& o) {
               return json(OrNone(Str(o, {"spec", "providerID"})));
             }}};
  }
  if (type.kind == "NodeClaim") {
    return {name,
            {"Type", "string", 0, [](const json& o) { return json(Label(o, "node.kubernetes.io/instance-type")); }},
            {"Capacity", "string", 0, [](const json& o) { return json(Label(o, "karpenter.sh/capacity-type")); }},
            {"Zone", "string", 0, [](const json& o) { return json(Label(o, "topology.kubernetes.io/zone")); }},
            {"Node", "string", 0,
             [](const json& o) {
               return json(Str(o, {"status", "nodeName"}));
             }},
            {"Ready", "string", 0,
             [](const json& o) {
               std::string s = ConditionStatus(o, "Ready");
               if (s.empty()) s = ConditionStatus(o, "Initialized");
               return json(s.empty() ? "Unknown" : s);
             }},
            age,
            {"ID", "string", 1,
             [](const json& o) {
               return json(Str(o, {"status", "providerID"}));
             }},
            {"NodePool", "string", 1, [](const json& o) { return json(Label(o, "karpenter.sh/nodepool")); }}};
  }
  if (type.kind == "NodePool") {
    return {name,
            {"NodeClass", "string", 0,
             [](const json& o) {
               return json(Str(o, {"spec", "template", "spec", "nodeClassRef", "name"}));
             }},
            age,
            {"Weight", "integer", 1,
             [](const json& o) { return o.value("spec", json::object()).value("weight", json()); }}};
  }
  if (type.kind == "Event") {
    return {{"Last Seen", "string", 0, [](const json& o) { return json(Age(o)); }},
            {"Type", "string", 0, [](const json& o) { return json(Str(o, {"type"})); }},
            {"Reason", "string", 0, [](const json& o) { return json(Str(o, {"reason"})); }},
            {"Object", "string", 0,
             [](const json& o) {
               std::string kind = Str(o, {"involvedObject", "kind"});
               for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
               return json(kind + "/" + Str(o, {"involvedObject", "name"}));
             }},
            {"Message", "string", 0, [](const json& o) { return json(Str(o, {"message"})); }}};
  }
  return {name, age};
}

}  // namespace

bool WantsTable(std::string_view accept) { return accept.find("as=Table") != std::string_view::npos; }

std::string HumanAge(int64_t s) {
  if (s < 0) s = 0;
  if (s < 120) return std::to_string(s) + "s";
  int64_t m = s / 60;
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  int64_t h = m / 60;
  if (h < 3) return std::to_string(m) + "m";
  if (h < 8) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  if (h < 48) return std::to_string(h) + "h";
  return std::to_string(h / 24) + "d";
}

json ToTable(const ResourceType& type, const std::vector<json>& objects, const std::string& resource_version,
             bool include_object) {
  std::vector<Column> columns = Columns(type);
  json defs = json::array();
  for (const Column& c : columns) {
    defs.push_back(json{{"name", c.name},
                        {"type", c.type},
                        {"format", c.name == "Name" ? "name" : ""},
                        {"description", ""},
                        {"priority", c.priority}});
  }
  json rows = json::array();
  for (const json& o : objects) {
    json cells = json::array();
    for (const Column& c : columns) cells.push_back(c.cell(o));
    json object;
    if (include_object) {
      object = o;
      object["apiVersion"] = type.GroupVersion();
      object["kind"] = type.kind;
    } else {
      object = json{{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", o["metadata"]}};
    }
    rows.push_back(json{{"cells", std::move(cells)}, {"object", std::move(object)}});
  }
  return json{{"kind", "Table"},
              {"apiVersion", "meta.k8s.io/v1"},
              {"metadata", {{"resourceVersion", resource_version}}},
              {"columnDefinitions", std::move(defs)},
              {"rows", std::move(rows)}};
}

}  // namespace adze::twin
