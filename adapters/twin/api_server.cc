#include "adapters/twin/api_server.h"

#include <httplib.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "adapters/twin/admission.h"
#include "adapters/twin/json_patch.h"
#include "adapters/twin/openapi.h"
#include "adapters/twin/protobuf_envelope.h"
#include "adapters/twin/resource_table.h"
#include "adapters/twin/selectors.h"
#include "adapters/twin/table.h"

namespace adze::twin {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

using Target = ApiServer::Target;

json StatusJson(int code, const std::string& reason, const std::string& message, const std::string& name = "",
                const ResourceType* type = nullptr, const json& causes = json()) {
  json s{{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
         {"status", "Failure"}, {"message", message}, {"reason", reason},
         {"code", code}};
  json details = json::object();
  if (!name.empty()) details["name"] = name;
  if (type != nullptr) {
    details["group"] = type->group;
    details["kind"] = type->plural;
  }
  if (!causes.is_null()) details["causes"] = causes;
  if (!details.empty()) s["details"] = details;
  return s;
}

void Reply(httplib::Response& res, int code, const json& body) {
  res.status = code;
  res.set_content(body.dump(), kJson);
}

// Maps a store error to the API server's answer.
void ReplyError(httplib::Response& res, const Error& e, const Target& t, const std::string& name) {
  std::string what = t.type != nullptr ? (t.type->group.empty() ? t.type->plural : t.type->plural + "." + t.type->group)
                                       : std::string("object");
  switch (e.code) {
    case ErrorCode::kNotFound:
      Reply(res, 404, StatusJson(404, "NotFound", what + " \"" + name + "\" not found", name, t.type));
      return;
    case ErrorCode::kAlreadyExists:
      Reply(res, 409, StatusJson(409, "AlreadyExists", what + " \"" + name + "\" already exists", name, t.type));
      return;
    case ErrorCode::kConflict:
      Reply(res, 409,
            StatusJson(409, "Conflict", "Operation cannot be fulfilled on " + what + " \"" + name + "\": " + e.message,
                       name, t.type));
      return;
    case ErrorCode::kInvalidArgument:
      Reply(res, 422,
            StatusJson(422, "Invalid", what + " \"" + name + "\" is invalid: " + e.message, name, t.type,
                       json::array({json{{"reason", "FieldValueInvalid"}, {"message", e.message}}})));
      return;
    case ErrorCode::kThrottled:
      Reply(res, 429, StatusJson(429, "TooManyRequests", e.message, name, t.type));
      return;
    default:
      Reply(res, 500, StatusJson(500, "InternalError", e.message, name, t.type));
  }
}

std::string Param(const httplib::Request& req, const char* key) {
  return req.has_param(key) ? req.get_param_value(key) : "";
}

bool Truthy(const std::string& v) { return v == "true" || v == "True" || v == "1"; }

std::string NameOf(const json& object) {
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) return "";
  return object["metadata"].value("name", "");
}

json ListJson(const ResourceType& type, std::vector<json> items, uint64_t revision) {
  for (json& item : items) {
    item["apiVersion"] = type.GroupVersion();
    item["kind"] = type.kind;
  }
  return json{{"kind", type.kind + "List"},
              {"apiVersion", type.GroupVersion()},
              {"metadata", json{{"resourceVersion", std::to_string(revision)}}},
              {"items", std::move(items)}};
}

json ResourceListJson(const std::string& group_version) {
  json resources = json::array();
  for (const ResourceType& r : ServedResources()) {
    if (r.GroupVersion() != group_version) continue;
    json verbs = json::array({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"});
    json entry{{"name", r.plural}, {"singularName", r.singular}, {"namespaced", r.namespaced}, {"kind", r.kind},
               {"verbs", verbs},   {"storageVersionHash", ""}};
    if (!r.short_names.empty()) entry["shortNames"] = r.short_names;
    if (r.group == "karpenter.sh" || r.group == "karpenter.k8s.aws") entry["categories"] = json::array({"karpenter"});
    resources.push_back(entry);
    for (const std::string& sub : r.subresources) {
      json sub_verbs = sub == "status" ? json::array({"get", "patch", "update"}) : json::array({"create"});
      std::string kind = sub == "binding" ? "Binding" : sub == "eviction" ? "Eviction" : r.kind;
      std::string group = sub == "eviction" ? "policy" : "";
      json s{{"name", r.plural + "/" + sub},
             {"singularName", ""},
             {"namespaced", r.namespaced},
             {"kind", kind},
             {"verbs", sub_verbs}};
      if (!group.empty()) {
        s["group"] = group;
        s["version"] = "v1";
      }
      resources.push_back(s);
    }
  }
  return json{
      {"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", group_version}, {"resources", resources}};
}

json GroupListJson() {
  json groups = json::array();
  std::vector<std::string> seen;
  for (const ResourceType& r : ServedResources()) {
    if (r.group.empty() || std::find(seen.begin(), seen.end(), r.group) != seen.end()) continue;
    seen.push_back(r.group);
    json gv{{"groupVersion", r.GroupVersion()}, {"version", r.version}};
    groups.push_back(json{{"name", r.group}, {"versions", json::array({gv})}, {"preferredVersion", gv}});
  }
  return json{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

// Parses the path after the group/version prefix.
std::optional<Target> ParseTarget(const std::string& group, const std::string& version,
                                  const std::vector<std::string>& rest) {
  Target t;
  if (rest.empty()) return std::nullopt;
  size_t i = 0;
  if (rest[0] == "namespaces" && rest.size() >= 3) {
    const ResourceType* inner = FindResource(group, version, rest[2]);
    if (inner != nullptr && inner->namespaced) {
      t.ns = rest[1];
      i = 2;
    }
  }
  t.type = FindResource(group, version, rest[i]);
  if (t.type == nullptr) return std::nullopt;
  if (i + 1 < rest.size()) t.name = rest[i + 1];
  if (i + 2 < rest.size()) t.sub = rest[i + 2];
  if (i + 3 < rest.size()) return std::nullopt;
  return t;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '/')) {
    if (!part.empty()) out.push_back(httplib::detail::decode_url(part, false));
  }
  return out;
}

// Pods matching a PDB's selector in its namespace, and how many more may go.
int64_t DisruptionsAllowed(const json& pdb, const std::vector<json>& pods) {
  const json& spec = pdb.value("spec", json::object());
  auto selector = LabelSelectorFromJson(spec.value("selector", json::object()));
  int64_t matching = 0;
  int64_t healthy = 0;
  for (const json& pod : pods) {
    if (!selector.Matches(pod["metadata"].value("labels", json::object()))) continue;
    std::string phase = pod.value("status", json::object()).value("phase", "");
    if (phase == "Succeeded" || phase == "Failed") continue;
    ++matching;
    if (phase == "Running") ++healthy;
  }
  auto resolve = [&](const json& v, bool round_up) -> int64_t {
    if (v.is_number_integer()) return v.get<int64_t>();
    std::string s = v.is_string() ? v.get<std::string>() : "0";
    if (!s.empty() && s.back() == '%') {
      int64_t pct = std::stoll(s.substr(0, s.size() - 1));
      return round_up ? (pct * matching + 99) / 100 : pct * matching / 100;
    }
    return std::stoll(s);
  };
  try {
    if (spec.contains("minAvailable")) return healthy - resolve(spec["minAvailable"], true);
    if (spec.contains("maxUnavailable")) return resolve(spec["maxUnavailable"], true) - (matching - healthy);
  } catch (const std::exception&) {
    return 0;
  }
  return 1;
}

}  // namespace

ApiServer::ApiServer(ObjectStore& store, ServerOptions options)
    : store_(store),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()),
      random_(options_.faults.seed) {}

ApiServer::~ApiServer() { Stop(); }

bool ApiServer::InjectFault(bool watch, void* response) {
  auto& res = *static_cast<httplib::Response*>(response);
  if (watch) return false;
  double draw = 0;
  {
    std::lock_guard lock(random_mu_);
    draw = std::uniform_real_distribution<double>(0, 1)(random_);
  }
  if (options_.faults.delay.count() > 0) std::this_thread::sleep_for(options_.faults.delay);
  if (draw < options_.faults.error_rate) {
    Reply(res, 500, StatusJson(500, "InternalError", "injected fault (twin --fault error-rate)"));
    return true;
  }
  if (draw < options_.faults.error_rate + options_.faults.throttle_rate) {
    res.set_header("Retry-After", "1");
    Reply(res, 429, StatusJson(429, "TooManyRequests", "injected fault (twin --fault throttle-rate)"));
    return true;
  }
  return false;
}

Result<int> ApiServer::Start() {
  // Each watch holds a worker thread for its whole life.
  server_->new_task_queue = [] { return new httplib::ThreadPool(96); };
  Routes();
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port("127.0.0.1");
  } else if (!server_->bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) return Error::Unavailable("cannot listen on 127.0.0.1:" + std::to_string(options_.port));
  port_ = port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  if (options_.faults.compact_every.count() > 0) {
    compactor_ = std::thread([this] {
      auto next = std::chrono::steady_clock::now() + options_.faults.compact_every;
      while (!stopping_.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (std::chrono::steady_clock::now() < next) continue;
        store_.Compact();
        next += options_.faults.compact_every;
      }
    });
  }
  return port_;
}

void ApiServer::Stop() {
  if (stopping_.exchange(true)) return;
  store_.WakeAll();
  server_->stop();
  if (thread_.joinable()) thread_.join();
  if (compactor_.joinable()) compactor_.join();
}

void ApiServer::Routes() {
  httplib::Server& s = *server_;
  s.Get("/version", [](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200,
          json{{"major", "1"},
               {"minor", "32"},
               {"gitVersion", "v1.32.0-adze-twin"},
               {"gitCommit", ""},
               {"gitTreeState", "clean"},
               {"buildDate", "2026-01-01T00:00:00Z"},
               {"goVersion", "n/a"},
               {"compiler", "adze"},
               {"platform", "linux/amd64"}});
  });
  for (const char* probe : {"/healthz", "/readyz", "/livez"}) {
    s.Get(probe, [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  }
  s.Get("/api", [this](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200,
          json{{"kind", "APIVersions"},
               {"versions", json::array({"v1"})},
               {"serverAddressByClientCIDRs",
                json::array(
                    {json{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1:" + std::to_string(port_)}}})}});
  });
  s.Get("/apis", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, GroupListJson()); });

  // Everything under /api/v1 and /apis/<group>/<version>.
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    std::vector<std::string> parts = Split(req.path);
    std::string group, version;
    std::vector<std::string> rest;
    if (parts.size() >= 2 && parts[0] == "api") {
      version = parts[1];
      rest.assign(parts.begin() + 2, parts.end());
    } else if (parts.size() >= 3 && parts[0] == "apis") {
      group = parts[1];
      version = parts[2];
      rest.assign(parts.begin() + 3, parts.end());
    } else {
      Reply(res, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
      return;
    }
    bool watch = Truthy(Param(req, "watch"));
    if (InjectFault(watch, &res)) return;
    if (rest.empty() && req.method == "GET") {
      std::string gv = group.empty() ? version : group + "/" + version;
      json list = ResourceListJson(gv);
      if (list["resources"].empty()) {
        Reply(res, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
      } else {
        Reply(res, 200, list);
      }
      return;
    }
    std::optional<Target> parsed = ParseTarget(group, version, rest);
    if (!parsed) {
      Reply(res, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
      return;
    }
    Serve(*parsed, req, res, watch);
  };
  s.Get(R"(/(api|apis)/.*)", handle);
  s.Post(R"(/(api|apis)/.*)", handle);
  s.Put(R"(/(api|apis)/.*)", handle);
  s.Patch(R"(/(api|apis)/.*)", handle);
  s.Delete(R"(/(api|apis)/.*)", handle);
  s.Get("/openapi/v2", [](const httplib::Request&, httplib::Response& res) {
    Reply(res, 404, StatusJson(404, "NotFound", "the twin serves no OpenAPI v2 document"));
  });
  s.Get("/openapi/v3", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, OpenApiV3Root()); });
  s.Get(R"(/openapi/v3/(.+))", [](const httplib::Request& req, httplib::Response& res) {
    std::optional<json> doc = OpenApiV3Document(req.matches[1]);
    if (!doc) {
      Reply(res, 404, StatusJson(404, "NotFound", "no OpenAPI document for " + std::string(req.matches[1])));
      return;
    }
    Reply(res, 200, *doc);
  });
}

void ApiServer::Serve(const Target& t, const httplib::Request& req, httplib::Response& res, bool watch) {
  const ResourceType& type = *t.type;
  if (!type.namespaced && !t.ns.empty()) {
    Reply(res, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
    return;
  }
  if (!t.sub.empty() && !type.HasSubresource(t.sub)) {
    Reply(res, 404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
    return;
  }
  const std::string& m = req.method;
  if (m == "GET" && t.name.empty()) {
    if (watch) {
      ServeWatch(t, req, res);
      return;
    }
    auto labels = Selector::Parse(Param(req, "labelSelector"));
    auto fields = Selector::Parse(Param(req, "fieldSelector"));
    if (!labels.ok() || !fields.ok()) {
      Reply(res, 400, StatusJson(400, "BadRequest", !labels.ok() ? labels.error().message : fields.error().message));
      return;
    }
    ObjectStore::ListResult list = store_.List(type.Key(), t.ns);
    std::vector<json> items;
    for (json& o : list.items) {
      if (labels->Matches(o["metadata"].value("labels", json::object())) && fields->MatchesFields(o)) {
        items.push_back(std::move(o));
      }
    }
    if (WantsTable(req.get_header_value("Accept"))) {
      Reply(res, 200, ToTable(type, items, std::to_string(list.revision), Param(req, "includeObject") == "Object"));
      return;
    }
    Reply(res, 200, ListJson(type, std::move(items), list.revision));
    return;
  }
  if (m == "GET") {
    auto got = store_.Get(type.Key(), t.ns, t.name);
    if (!got.ok()) return ReplyError(res, got.error(), t, t.name);
    json o = *got;
    if (WantsTable(req.get_header_value("Accept"))) {
      Reply(res, 200,
            ToTable(type, {o}, o["metadata"].value("resourceVersion", ""), Param(req, "includeObject") == "Object"));
      return;
    }
    o["apiVersion"] = type.GroupVersion();
    o["kind"] = type.kind;
    Reply(res, 200, o);
    return;
  }
  if (m == "POST" && t.name.empty()) return Create(t, req, res);
  if (m == "POST" && (t.sub == "binding" || t.sub == "eviction")) {
    // kubectl drain sends its Eviction as protobuf; the pod is in the URL.
    bool protobuf = req.get_header_value("Content-Type").rfind(kProtobufContentType, 0) == 0;
    if (protobuf && t.sub == "eviction") return Evict(t, res);
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
      Reply(res, 400, StatusJson(400, "BadRequest", "the request body is not JSON"));
      return;
    }
    if (t.sub == "binding") return Bind(t, body, res);
    return Evict(t, res);
  }
  if ((m == "PUT" || m == "PATCH") && !t.name.empty()) return Write(t, req, res);
  if (m == "DELETE" && !t.name.empty()) {
    std::string precondition;
    json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (body.is_object() && body.contains("preconditions") && body["preconditions"].is_object()) {
      precondition = body["preconditions"].value("resourceVersion", "");
    }
    if (Param(req, "dryRun") == "All") {
      auto got = store_.Get(type.Key(), t.ns, t.name);
      if (!got.ok()) return ReplyError(res, got.error(), t, t.name);
      Reply(res, 200, *got);
      return;
    }
    auto gone = store_.Delete(type.Key(), t.ns, t.name, precondition);
    if (!gone.ok()) return ReplyError(res, gone.error(), t, t.name);
    json o = *gone;
    o["apiVersion"] = type.GroupVersion();
    o["kind"] = type.kind;
    Reply(res, 200, o);
    return;
  }
  Reply(res, 405,
        StatusJson(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
}

void ApiServer::Create(const Target& t, const httplib::Request& req, httplib::Response& res) {
  const ResourceType& type = *t.type;
  json body;
  if (req.get_header_value("Content-Type").rfind(kProtobufContentType, 0) == 0) {
    // Typed clients (kubectl create namespace) send protobuf; the twin reads
    // only metadata from it, which is all a Namespace has.
    std::optional<json> decoded = DecodeProtobufEnvelope(req.body);
    if (!decoded || type.kind != "Namespace") {
      Reply(res, 415,
            StatusJson(415, "UnsupportedMediaType",
                       "the twin reads protobuf bodies only for Namespace and Eviction; send " + type.kind +
                           " as application/json"));
      return;
    }
    body = std::move(*decoded);
  } else {
    body = json::parse(req.body, nullptr, false);
  }
  if (body.is_discarded() || !body.is_object()) {
    Reply(res, 400, StatusJson(400, "BadRequest", "the request body is not a JSON object"));
    return;
  }
  if (!body.contains("metadata") || !body["metadata"].is_object()) body["metadata"] = json::object();
  std::string body_ns = body["metadata"].value("namespace", "");
  std::string ns = t.ns;
  if (type.namespaced) {
    if (ns.empty()) ns = body_ns.empty() ? "default" : body_ns;
    if (!body_ns.empty() && body_ns != ns) {
      Reply(res, 400,
            StatusJson(400, "BadRequest",
                       "the namespace of the provided object does not match the "
                       "namespace sent on the request"));
      return;
    }
    if (!store_.Get("namespaces", "", ns).ok()) {
      Target nt{FindResource("", "v1", "namespaces"), "", ns, ""};
      ReplyError(res, Error::NotFound(ns), nt, ns);
      return;
    }
  }
  body["apiVersion"] = type.GroupVersion();
  body["kind"] = type.kind;
  std::string name = NameOf(body);
  if (std::optional<AdmissionError> bad = Admit(type, body)) {
    json causes =
        json::array({json{{"reason", "FieldValueInvalid"}, {"message", bad->message}, {"field", bad->field}}});
    std::string msg =
        type.kind + " \"" + name + "\" is invalid: " + (bad->field.empty() ? "" : bad->field + ": ") + bad->message;
    Reply(res, 422, StatusJson(422, "Invalid", msg, name, &type, causes));
    return;
  }
  body["metadata"].erase("resourceVersion");
  if (type.kind == "Pod") {
    // A new pod is Pending until the scheduler binds it.
    json& status = body["status"];
    if (!status.is_object()) status = json::object();
    if (!status.contains("phase")) status["phase"] = "Pending";
  }
  if (Param(req, "dryRun") == "All") {
    Reply(res, 201, body);
    return;
  }
  auto made = store_.Create(type.Key(), type.namespaced ? ns : "", body);
  if (!made.ok()) return ReplyError(res, made.error(), t, name);
  Reply(res, 201, *made);
}

void ApiServer::Write(const Target& t, const httplib::Request& req, httplib::Response& res) {
  const ResourceType& type = *t.type;
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    Reply(res, 400, StatusJson(400, "BadRequest", "the request body is not JSON"));
    return;
  }
  std::optional<PatchType> patch_type;
  if (req.method == "PATCH") {
    patch_type = PatchTypeFromContentType(req.get_header_value("Content-Type"));
    if (!patch_type) {
      Reply(res, 415,
            StatusJson(415, "UnsupportedMediaType",
                       "the body of the request was in an unknown format - accepted media types include: "
                       "application/json-patch+json, application/merge-patch+json, "
                       "application/strategic-merge-patch+json"));
      return;
    }
  }
  bool status_only = t.sub == "status";
  bool dry_run = Param(req, "dryRun") == "All";
  std::optional<AdmissionError> refused;
  json dry_result;
  auto mutate = [&](json& current) -> Status {
    json next;
    if (patch_type) {
      json base = current;
      base["apiVersion"] = type.GroupVersion();
      base["kind"] = type.kind;
      auto patched = ApplyPatch(base, body, *patch_type);
      if (!patched.ok()) return patched.error();
      next = std::move(*patched);
      // A patch without a resourceVersion applies to whatever is current.
      if (!body.contains("metadata") || !body["metadata"].is_object() ||
          !body["metadata"].contains("resourceVersion")) {
        next["metadata"]["resourceVersion"] = current["metadata"].value("resourceVersion", "");
      }
    } else {
      next = body;
      if (!next.is_object()) return Error::InvalidArgument("the request body is not a JSON object");
    }
    if (!next.contains("metadata") || !next["metadata"].is_object()) next["metadata"] = json::object();
    if (type.HasSubresource("status")) {
      // The status subresource writes only status; the main resource never does.
      if (status_only) {
        json merged = current;
        merged["status"] = next.value("status", json::object());
        merged["metadata"]["resourceVersion"] = next["metadata"].value("resourceVersion", "");
        next = std::move(merged);
      } else if (current.contains("status")) {
        next["status"] = current["status"];
      } else {
        next.erase("status");
      }
    }
    next["apiVersion"] = type.GroupVersion();
    next["kind"] = type.kind;
    if (std::optional<AdmissionError> bad = Admit(type, next)) {
      refused = bad;
      return Error::InvalidArgument(bad->message);
    }
    if (dry_run) {
      dry_result = next;
      return Error::Internal("dry run");
    }
    current = std::move(next);
    return OkStatus();
  };
  auto written = store_.Mutate(type.Key(), t.ns, t.name, mutate);
  if (dry_run && !dry_result.is_null()) {
    Reply(res, 200, dry_result);
    return;
  }
  if (!written.ok()) {
    if (refused) {
      json causes = json::array(
          {json{{"reason", "FieldValueInvalid"}, {"message", refused->message}, {"field", refused->field}}});
      Reply(res, 422,
            StatusJson(422, "Invalid",
                       type.kind + " \"" + t.name +
                           "\" is invalid: " + (refused->field.empty() ? "" : refused->field + ": ") + refused->message,
                       t.name, &type, causes));
      return;
    }
    return ReplyError(res, written.error(), t, t.name);
  }
  json o = *written;
  o["apiVersion"] = type.GroupVersion();
  o["kind"] = type.kind;
  Reply(res, 200, o);
}

void ApiServer::Bind(const Target& t, const json& body, httplib::Response& res) {
  std::string node = body.value("target", json::object()).value("name", "");
  if (node.empty()) {
    Reply(res, 422, StatusJson(422, "Invalid", "binding has no target.name", t.name, t.type));
    return;
  }
  auto bound = store_.Mutate(t.type->Key(), t.ns, t.name, [&](json& pod) -> Status {
    json& spec = pod["spec"];
    if (!spec.value("nodeName", "").empty()) {
      return Error::Conflict("pod " + t.name + " is already assigned to node \"" + spec.value("nodeName", "") + "\"");
    }
    spec["nodeName"] = node;
    pod["metadata"].erase("resourceVersion");
    return OkStatus();
  });
  if (!bound.ok()) return ReplyError(res, bound.error(), t, t.name);
  Reply(res, 201,
        json{{"kind", "Status"},
             {"apiVersion", "v1"},
             {"metadata", json::object()},
             {"status", "Success"},
             {"code", 201}});
}

void ApiServer::Evict(const Target& t, httplib::Response& res) {
  auto pod = store_.Get("pods", t.ns, t.name);
  if (!pod.ok()) return ReplyError(res, pod.error(), t, t.name);
  std::vector<json> pods = store_.List("pods", t.ns).items;
  json labels = (*pod)["metadata"].value("labels", json::object());
  std::string phase = pod->value("status", json::object()).value("phase", "");
  // Pods that are not running do not count against a budget (as upstream).
  if (phase == "Running") {
    for (const json& pdb : store_.List("poddisruptionbudgets.policy", t.ns).items) {
      Selector sel = LabelSelectorFromJson(pdb.value("spec", json::object()).value("selector", json::object()));
      if (!sel.Matches(labels)) continue;
      if (DisruptionsAllowed(pdb, pods) <= 0) {
        json causes =
            json::array({json{{"reason", "DisruptionBudget"},
                              {"message", "The disruption budget " + NameOf(pdb) + " needs more healthy pods"}}});
        Reply(res, 429,
              StatusJson(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                         t.name, t.type, causes));
        return;
      }
    }
  }
  auto gone = store_.Delete("pods", t.ns, t.name);
  if (!gone.ok()) return ReplyError(res, gone.error(), t, t.name);
  Reply(res, 201,
        json{{"kind", "Status"},
             {"apiVersion", "v1"},
             {"metadata", json::object()},
             {"status", "Success"},
             {"code", 201}});
}

namespace {

struct WatchState {
  std::string resource;
  std::string ns;
  const ResourceType* type = nullptr;
  Selector labels;
  Selector fields;
  uint64_t revision = 0;
  std::vector<json> initial;
  bool bookmarks = false;
  bool expired_sent = false;
  bool table = false;  // events carry one-row Tables (kubectl get --watch)
  bool include_object = false;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point next_bookmark;
};

bool WriteLine(httplib::DataSink& sink, const json& event) {
  std::string line = event.dump() + "\n";
  return sink.write(line.data(), line.size());
}

}  // namespace

void ApiServer::ServeWatch(const Target& t, const httplib::Request& req, httplib::Response& res) {
  auto labels = Selector::Parse(Param(req, "labelSelector"));
  auto fields = Selector::Parse(Param(req, "fieldSelector"));
  if (!labels.ok() || !fields.ok()) {
    Reply(res, 400, StatusJson(400, "BadRequest", !labels.ok() ? labels.error().message : fields.error().message));
    return;
  }
  auto st = std::make_shared<WatchState>();
  st->resource = t.type->Key();
  st->ns = t.ns;
  st->type = t.type;
  st->labels = *labels;
  st->fields = *fields;
  st->bookmarks = Truthy(Param(req, "allowWatchBookmarks"));
  st->table = WantsTable(req.get_header_value("Accept"));
  st->include_object = Param(req, "includeObject") == "Object";
  std::string rv = Param(req, "resourceVersion");
  auto now = std::chrono::steady_clock::now();
  // Without timeoutSeconds, as the API server: a random 30-60 min; the twin uses 30 min.
  int64_t timeout = 1800;
  if (std::string ts = Param(req, "timeoutSeconds"); !ts.empty()) {
    try {
      timeout = std::stoll(ts);
    } catch (const std::exception&) {
      Reply(res, 400, StatusJson(400, "BadRequest", "timeoutSeconds: not a number: " + ts));
      return;
    }
  }
  st->deadline = now + std::chrono::seconds(timeout);
  if (options_.faults.watch_drop_after.count() > 0) {
    st->deadline = std::min(st->deadline, now + options_.faults.watch_drop_after);
  }
  st->next_bookmark = now + options_.bookmark_interval;
  if (rv.empty() || rv == "0") {
    ObjectStore::ListResult list = store_.List(st->resource, t.ns);
    st->revision = list.revision;
    st->initial = std::move(list.items);
  } else {
    try {
      st->revision = std::stoull(rv);
    } catch (const std::exception&) {
      Reply(res, 400, StatusJson(400, "BadRequest", "resourceVersion: not a number: " + rv));
      return;
    }
  }
  res.status = 200;
  // Not plain "application/json": cpp-httplib would gzip the stream for
  // clients that accept it (Go's do), and the compressor holds events back
  // until the watch ends.
  res.set_chunked_content_provider("application/json;stream=watch", [this, st](size_t, httplib::DataSink& sink) {
    auto event_json = [&](const std::string& type, json object) {
      if (st->table && type != "BOOKMARK") {
        std::string rv = object["metadata"].value("resourceVersion", "");
        return json{{"type", type}, {"object", ToTable(*st->type, {object}, rv, st->include_object)}};
      }
      object["apiVersion"] = st->type->GroupVersion();
      object["kind"] = st->type->kind;
      return json{{"type", type}, {"object", std::move(object)}};
    };
    auto matches = [&](const json& o) {
      return st->labels.Matches(o["metadata"].value("labels", json::object())) && st->fields.MatchesFields(o);
    };
    if (!st->initial.empty()) {
      for (json& o : st->initial) {
        if (matches(o) && !WriteLine(sink, event_json("ADDED", std::move(o)))) return false;
      }
      st->initial.clear();
      return true;
    }
    auto now = std::chrono::steady_clock::now();
    if (stopping_.load() || now >= st->deadline || st->expired_sent) {
      sink.done();
      return true;
    }
    auto wake = std::min(
        {st->deadline, st->bookmarks ? st->next_bookmark : st->deadline, now + std::chrono::milliseconds(500)});
    uint64_t current = store_.WaitForChange(st->revision, wake);
    if (!sink.is_writable()) return false;
    std::optional<std::vector<WatchEvent>> events = store_.EventsSince(st->resource, st->ns, st->revision);
    if (!events) {
      json status = StatusJson(
          410, "Expired",
          "too old resource version: " + std::to_string(st->revision) + " (" + std::to_string(current) + ")");
      st->expired_sent = true;
      return WriteLine(sink, json{{"type", "ERROR"}, {"object", status}});
    }
    for (WatchEvent& e : *events) {
      st->revision = std::max(st->revision, e.revision);
      if (e.revision > current) current = e.revision;
      if (!matches(e.object)) continue;
      if (!WriteLine(sink, event_json(e.type, std::move(e.object)))) return false;
    }
    st->revision = std::max(st->revision, current);
    if (st->bookmarks && std::chrono::steady_clock::now() >= st->next_bookmark) {
      st->next_bookmark = std::chrono::steady_clock::now() + options_.bookmark_interval;
      json mark{{"metadata", json{{"resourceVersion", std::to_string(st->revision)}}}};
      if (!WriteLine(sink, event_json("BOOKMARK", mark))) return false;
    }
    return true;
  });
}

}  // namespace adze::twin
