#include "adapters/twin/aws_endpoint.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <pugixml.hpp>

#include <sstream>

#include <cstdio>

#include "adapters/twin/eventbridge_event.h"
#include "adapters/twin/sigv4_verifier.h"

namespace adze::twin {

namespace aws = providers::aws;
using nlohmann::json;

namespace {

std::string Md5Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int64_t> Int(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

int64_t SystemUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SystemWallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

AwsEndpoint::AwsEndpoint(TwinEc2& ec2, AwsEndpointOptions options)
    : ec2_(ec2),
      options_(std::move(options)),
      ec2_server_(ec2, SystemWallMicros),
      server_(std::make_unique<httplib::Server>()),
      random_(options_.seed) {
  if (!options_.unix_seconds) options_.unix_seconds = SystemUnixSeconds;
}

AwsEndpoint::~AwsEndpoint() { Stop(); }

Result<int> AwsEndpoint::Start() {
  // Long polls hold a thread each for up to 20 s.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  Routes();
  const int port = options_.port == 0 ? server_->bind_to_any_port("127.0.0.1")
                                      : (server_->bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
  if (port <= 0) {
    return adze::Error::Unavailable("cannot listen on 127.0.0.1:" + std::to_string(options_.port) +
                              " for the AWS endpoint (in use?)");
  }
  port_ = port;
  queues_ = std::make_unique<SqsQueues>(url() + "/" + options_.account);
  queues_->Create(options_.default_queue);
  SqsQueues* queues = queues_.get();
  ec2_.SetMessageSink([queues](const std::string& body) { queues->Broadcast(body); });
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port_;
}

void AwsEndpoint::Stop() {
  if (stopping_.exchange(true)) return;
  if (queues_) queues_->Shutdown();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string AwsEndpoint::queue_url() const { return url() + "/" + options_.account + "/" + options_.default_queue; }

void AwsEndpoint::SetFaults(const AwsFaults& faults) {
  std::lock_guard lock(mu_);
  faults_ = faults;
}

AwsFaults AwsEndpoint::faults() const {
  std::lock_guard lock(mu_);
  return faults_;
}

json AwsEndpoint::FaultCounters() const {
  std::lock_guard lock(mu_);
  return json{{"internalErrors", injected_errors_},
              {"throttles", injected_throttles_},
              {"createFleetDelays", delayed_fleets_},
              {"insufficientCapacityBlocks", capacity_blocks_},
              {"signatureRejections", signature_rejections_}};
}

std::string AwsEndpoint::NextRequestId() {
  char buf[48];
  const uint64_t n = next_request_++;
  std::snprintf(buf, sizeof buf, "adze0000-twin-4000-8000-%012llx", static_cast<unsigned long long>(n));
  return buf;
}

int AwsEndpoint::DrawFault() {
  std::lock_guard lock(mu_);
  if (faults_.error_rate <= 0 && faults_.throttle_rate <= 0) return 0;
  const double u = std::uniform_real_distribution<double>(0, 1)(random_);
  if (u < faults_.error_rate) {
    ++injected_errors_;
    return 1;
  }
  if (u < faults_.error_rate + faults_.throttle_rate) {
    ++injected_throttles_;
    return 2;
  }
  return 0;
}

AwsEndpoint::Answer AwsEndpoint::Fail(Protocol p, const std::string& service, int status, const std::string& code,
                                       const std::string& message, const std::string& request_id) const {
  Answer a;
  a.status = status;
  if (p == Protocol::kEc2) {
    a.body = Ec2ErrorXml(code, message, request_id);
    a.content_type = "text/xml;charset=UTF-8";
  } else if (p == Protocol::kQuery) {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("ErrorResponse");
    root.append_attribute("xmlns") = "https://sts.amazonaws.com/doc/2011-06-15/";
    pugi::xml_node e = root.append_child("Error");
    e.append_child("Type").text().set(status >= 500 ? "Receiver" : "Sender");
    e.append_child("Code").text().set(code.c_str());
    e.append_child("Message").text().set(message.c_str());
    root.append_child("RequestId").text().set(request_id.c_str());
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    a.body = out.str();
    a.content_type = "text/xml";
  } else {
    const std::string prefix = service == "sqs" ? "com.amazonaws.sqs#" : "";
    a.body = json{{"__type", prefix + code}, {"message", message}}.dump();
    a.content_type = "application/x-amz-json-1.0";
    if (service == "sqs") {
      const std::string legacy = code == "QueueDoesNotExist" ? "AWS.SimpleQueueService.NonExistentQueue" : code;
      a.query_error = legacy + (status >= 500 ? ";Receiver" : ";Sender");
    }
  }
  return a;
}

void AwsEndpoint::Routes() {
  auto body_json = [](const httplib::Request& req, httplib::Response& res) -> std::optional<json> {
    json in = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
    if (!in.is_object()) {
      SendJson(res, 400, {{"error", "the body is not a JSON object"}});
      return std::nullopt;
    }
    return in;
  };
  server_->Post("/adze-twin/v1/spot-interruptions", [this, body_json](const httplib::Request& req,
                                                                      httplib::Response& res) {
    auto in = body_json(req, res);
    if (!in) return;
    json interrupted = json::array(), errors = json::array();
    if (in->contains("instanceIds")) {
      if (!(*in)["instanceIds"].is_array()) {
        SendJson(res, 400, {{"error", "instanceIds: expected an array of instance ids"}});
        return;
      }
      for (const json& id : (*in)["instanceIds"]) {
        const std::string s = id.is_string() ? id.get<std::string>() : "";
        Status st = ec2_.Interrupt(s);
        if (st.ok()) {
          interrupted.push_back(s);
        } else {
          errors.push_back({{"instanceId", s}, {"message", st.error().message}});
        }
      }
    } else if (auto n = Int(*in, "count"); n && *n >= 0) {
      for (const std::string& id : ec2_.InterruptRandom(static_cast<int>(*n))) interrupted.push_back(id);
    } else {
      SendJson(res, 400, {{"error", "expected {\"instanceIds\":[...]} or {\"count\":N}"}});
      return;
    }
    SendJson(res, errors.empty() ? 200 : 404, {{"interrupted", interrupted}, {"errors", errors}});
  });
  server_->Post("/adze-twin/v1/insufficient-capacity", [this, body_json](const httplib::Request& req,
                                                                         httplib::Response& res) {
    auto in = body_json(req, res);
    if (!in) return;
    CapacityBlock b;
    if (in->contains("instanceTypes")) {
      if (!(*in)["instanceTypes"].is_array()) {
        SendJson(res, 400, {{"error", "instanceTypes: expected an array of instance types"}});
        return;
      }
      for (const json& t : (*in)["instanceTypes"]) {
        if (t.is_string()) b.instance_types.insert(t.get<std::string>());
      }
    }
    b.family = Str(*in, "family");
    if (b.instance_types.empty() && b.family.empty()) {
      SendJson(res, 400, {{"error", "expected \"instanceTypes\":[...] or \"family\":\"g6\""}});
      return;
    }
    if (in->contains("zones") && (*in)["zones"].is_array()) {
      for (const json& z : (*in)["zones"]) {
        if (z.is_string()) b.zones.insert(z.get<std::string>());
      }
    }
    b.capacity_type = Str(*in, "capacityType");
    if (!b.capacity_type.empty() && b.capacity_type != "spot" && b.capacity_type != "on-demand") {
      SendJson(res, 400, {{"error", "capacityType: expected spot or on-demand"}});
      return;
    }
    double seconds = 0;
    if (auto it = in->find("durationSeconds"); it != in->end() && it->is_number()) seconds = it->get<double>();
    if (seconds < 0) {
      SendJson(res, 400, {{"error", "durationSeconds: expected a non-negative number (twin time)"}});
      return;
    }
    if (seconds > 0) b.until = ec2_.VirtualNow() + static_cast<model::Duration>(seconds * 1e6);
    ec2_.AddCapacityBlock(b);
    {
      std::lock_guard lock(mu_);
      ++capacity_blocks_;
    }
    SendJson(res, 200, {{"blocked", true}, {"untilTwinSeconds", static_cast<double>(b.until) / 1e6}});
  });
  server_->Delete("/adze-twin/v1/insufficient-capacity", [this](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"cleared", ec2_.ClearCapacityBlocks()}});
  });
  server_->Post("/adze-twin/v1/faults", [this, body_json](const httplib::Request& req, httplib::Response& res) {
    auto in = body_json(req, res);
    if (!in) return;
    AwsFaults f = faults();
    auto read = [&](const char* key, double& out, double max) -> bool {
      auto it = in->find(key);
      if (it == in->end()) return true;
      if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > max) {
        SendJson(res, 400, {{"error", std::string(key) + ": expected a number from 0 to " + std::to_string(max)}});
        return false;
      }
      out = it->get<double>();
      return true;
    };
    if (!read("errorRate", f.error_rate, 1) || !read("throttleRate", f.throttle_rate, 1) ||
        !read("createFleetDelaySeconds", f.create_fleet_delay_seconds, 3600)) {
      return;
    }
    if (f.error_rate + f.throttle_rate > 1) {
      SendJson(res, 400, {{"error", "errorRate + throttleRate is more than 1"}});
      return;
    }
    SetFaults(f);
    SendJson(res, 200,
             {{"errorRate", f.error_rate},
              {"throttleRate", f.throttle_rate},
              {"createFleetDelaySeconds", f.create_fleet_delay_seconds}});
  });
  server_->Get("/adze-twin/v1/faults", [this](const httplib::Request&, httplib::Response& res) {
    const AwsFaults f = faults();
    SendJson(res, 200,
             {{"errorRate", f.error_rate},
              {"throttleRate", f.throttle_rate},
              {"createFleetDelaySeconds", f.create_fleet_delay_seconds}});
  });
  server_->Get("/adze-twin/v1/instances", [this](const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    for (const TwinInstance& t : ec2_.Instances()) {
      out.push_back({{"instanceId", t.instance.instance_id},
                     {"instanceType", t.instance.instance_type},
                     {"zone", t.instance.availability_zone},
                     {"capacityType", t.capacity_type},
                     {"state", t.instance.state},
                     {"launchTime", Iso8601Seconds(t.launch_time)},
                     {"tags", t.instance.tags}});
    }
    SendJson(res, 200, {{"instances", out}});
  });
  server_->Get("/adze-twin/v1/counters", [this](const httplib::Request&, httplib::Response& res) {
    json c = ec2_.Counters();
    c["faults"] = FaultCounters();
    c["faults"]["spotInterruptions"] = c["injected"]["spotInterruptions"];
    c["faults"]["blockedOverrides"] = c["injected"]["blockedOverrides"];
    c["requests"] = requests();
    SendJson(res, 200, c);
  });
  // The AWS calls read their body themselves: cpp-httplib refuses form bodies
  // over 8 KiB (413) when it parses them, and a CreateFleet with 60
  // overrides is larger.
  server_->Post(R"((?!/adze-twin/).*)", [this](const httplib::Request& req, httplib::Response& res,
                                                const httplib::ContentReader& reader) {
    std::string body;
    reader([&](const char* data, size_t n) {
      body.append(data, n);
      return body.size() <= (16u << 20);
    });
    ServeAws(req, body, res);
  });
  server_->Get(R"((?!/adze-twin/).*)",
               [this](const httplib::Request& req, httplib::Response& res) { ServeAws(req, req.body, res); });
}

void AwsEndpoint::ServeAws(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  ++requests_;
  const std::string rid = NextRequestId();
  res.set_header("x-amzn-RequestId", rid);
  // The request as the client signed it: the path and query as on the wire.
  adapters::aws::HttpRequest signed_request;
  signed_request.method = req.method;
  const std::string& target_line = req.target.empty() ? req.path : req.target;
  const size_t q = target_line.find('?');
  signed_request.path = target_line.substr(0, q);
  if (q != std::string::npos) signed_request.query = ParseUrlEncoded(target_line.substr(q + 1), false);
  for (const auto& [k, v] : req.headers) signed_request.headers.emplace_back(k, v);
  signed_request.body = body;
  signed_request.endpoint = "http://" + req.get_header_value("Host");

  const std::string target = req.get_header_value("X-Amz-Target");
  Protocol protocol = Protocol::kJson;
  std::string action, service;
  FormFields form;
  if (!target.empty()) {
    const size_t dot = target.find('.');
    const std::string prefix = target.substr(0, dot);
    action = dot == std::string::npos ? "" : target.substr(dot + 1);
    service = prefix == "AmazonSQS" ? "sqs" : prefix == "AmazonSSM" ? "ssm" : "pricing";
  } else {
    form = signed_request.query;
    if (req.get_header_value("Content-Type").find("x-www-form-urlencoded") != std::string::npos) {
      for (auto& kv : ParseUrlEncoded(body, true)) form.push_back(std::move(kv));
    }
    for (const auto& [k, v] : form) {
      if (k == "Action") action = v;
    }
    protocol = action == "GetCallerIdentity" ? Protocol::kQuery : Protocol::kEc2;
    service = protocol == Protocol::kQuery ? "sts" : "ec2";
  }
  auto send = [&](const Answer& a) {
    res.status = a.status;
    if (!a.query_error.empty()) res.set_header("x-amzn-query-error", a.query_error);
    res.set_content(a.body, a.content_type.empty() ? "text/xml;charset=UTF-8" : a.content_type);
  };

  adapters::aws::Credentials creds;
  creds.access_key_id = options_.access_key_id;
  creds.secret_access_key = options_.secret_access_key;
  const SigV4Check check = VerifySigV4(signed_request, creds, options_.unix_seconds());
  if (!check.ok()) {
    {
      std::lock_guard lock(mu_);
      ++signature_rejections_;
    }
    std::string code;
    const bool json_new = service == "ssm" || service == "pricing";
    switch (check.failure) {
      case SigV4Failure::kMissing:
        code = json_new ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken";
        break;
      case SigV4Failure::kUnknownKey:
        code = json_new ? "UnrecognizedClientException" : "InvalidClientTokenId";
        break;
      default:
        code = json_new ? "InvalidSignatureException" : "SignatureDoesNotMatch";
        break;
    }
    if (protocol == Protocol::kEc2) code = "AuthFailure";
    send(Fail(protocol, service, 403, code, check.message, rid));
    return;
  }
  if (action.empty() || (protocol == Protocol::kEc2 && !Ec2QueryServer::Serves(action))) {
    send(Fail(protocol, service, 400, "InvalidAction",
               "The action " + (action.empty() ? target : action) + " is not valid for this web service.", rid));
    return;
  }
  switch (DrawFault()) {
    case 1:
      send(Fail(protocol, service, 500, "InternalError", "We encountered an internal error. Please try again.", rid));
      return;
    case 2:
      if (protocol == Protocol::kEc2) {
        send(Fail(protocol, service, 503, "RequestLimitExceeded", "Request limit exceeded.", rid));
      } else if (protocol == Protocol::kQuery) {
        send(Fail(protocol, service, 400, "Throttling", "Rate exceeded", rid));
      } else {
        send(Fail(protocol, service, 400, "ThrottlingException", "Rate exceeded", rid));
      }
      return;
    default:
      break;
  }
  if (protocol == Protocol::kEc2) {
    if (action == "CreateFleet") {
      const double delay = faults().create_fleet_delay_seconds;
      if (delay > 0) {
        {
          std::lock_guard lock(mu_);
          ++delayed_fleets_;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<int64_t>(delay * 1e6));
        while (!stopping_.load() && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    }
    const QueryAnswer a = ec2_server_.Handle(action, form, rid, options_.create_fleet_timeout);
    send(Answer{a.status, a.body, "text/xml;charset=UTF-8", ""});
    return;
  }
  if (protocol == Protocol::kQuery) {
    send(Sts(action, rid));
    return;
  }
  send(Json(target, body, rid));
}

AwsEndpoint::Answer AwsEndpoint::Sts(const std::string& action, const std::string& rid) {
  (void)action;  // GetCallerIdentity only (ServeAws routes nothing else here)
  const std::string xml = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                          "<GetCallerIdentityResult><Arn>arn:aws:iam::" +
                          options_.account + ":user/adze-twin</Arn><UserId>" + options_.access_key_id +
                          "</UserId><Account>" + options_.account +
                          "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>" + rid +
                          "</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
  return Answer{200, xml, "text/xml", ""};
}

AwsEndpoint::Answer AwsEndpoint::Json(const std::string& target, const std::string& body, const std::string& rid) {
  const size_t dot = target.find('.');
  const std::string prefix = target.substr(0, dot);
  const std::string action = dot == std::string::npos ? "" : target.substr(dot + 1);
  const std::string service = prefix == "AmazonSQS" ? "sqs" : prefix == "AmazonSSM" ? "ssm" : "pricing";
  const json in = body.empty() ? json::object() : json::parse(body, nullptr, false);
  if (!in.is_object()) {
    return Fail(Protocol::kJson, service, 400, "SerializationException", "the body is not a JSON object", rid);
  }
  if (prefix == "AmazonSQS") return Sqs(action, in, rid);
  if (prefix == "AmazonSSM" && action == "GetParameter") {
    const std::string name = Str(in, "Name");
    if (name.empty()) return Fail(Protocol::kJson, service, 400, "ValidationException", "Name is required", rid);
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.GetParameter(name); });
    if (!r.IsSuccess()) {
      return Fail(Protocol::kJson, service, 400, r.GetError().code, r.GetError().message, rid);
    }
    const std::string arn = "arn:aws:ssm:" + options_.region + ":" + options_.account + ":parameter" +
                            (name.starts_with("/") ? "" : "/") + name;
    return Answer{200,
                  json{{"Parameter",
                        {{"Name", name},
                         {"Type", "String"},
                         {"Value", r.GetResult().value},
                         {"Version", 1},
                         {"ARN", arn},
                         {"DataType", "text"}}}}
                      .dump(),
                  "application/x-amz-json-1.1", ""};
  }
  if (prefix == "AWSPriceListService" && action == "GetProducts") {
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.GetOnDemandPrices(); });
    if (!r.IsSuccess()) return Fail(Protocol::kJson, service, 400, r.GetError().code, r.GetError().message, rid);
    // TERM_MATCH filters on instanceType narrow the list; the others describe
    // what the twin's prices already are (Linux, shared tenancy, ...).
    std::string only_type, region = options_.region;
    if (auto f = in.find("Filters"); f != in.end() && f->is_array()) {
      for (const json& filter : *f) {
        if (!filter.is_object()) continue;
        if (Str(filter, "Field") == "instanceType") only_type = Str(filter, "Value");
        if (Str(filter, "Field") == "regionCode") region = Str(filter, "Value");
      }
    }
    std::vector<std::pair<std::string, double>> prices;
    for (const auto& [type, usd] : r.GetResult().usd_per_hour) {
      if (only_type.empty() || type == only_type) prices.emplace_back(type, usd);
    }
    size_t begin = 0;
    if (auto t = Int(in, "NextToken")) begin = std::min(prices.size(), static_cast<size_t>(std::max<int64_t>(0, *t)));
    const size_t max = static_cast<size_t>(std::clamp<int64_t>(Int(in, "MaxResults").value_or(100), 1, 100));
    const size_t end = std::min(prices.size(), begin + max);
    json list = json::array();
    for (size_t i = begin; i < end; ++i) {
      const auto& [type, usd] = prices[i];
      const std::string sku = "ADZETWIN" + std::to_string(i);
      char price[32];
      std::snprintf(price, sizeof price, "%.10f", usd);
      json product{{"product",
                    {{"productFamily", "Compute Instance"},
                     {"sku", sku},
                     {"attributes",
                      {{"instanceType", type},
                       {"regionCode", region},
                       {"operatingSystem", "Linux"},
                       {"tenancy", "Shared"},
                       {"preInstalledSw", "NA"},
                       {"capacitystatus", "Used"}}}}},
                   {"serviceCode", "AmazonEC2"},
                   {"terms",
                    {{"OnDemand",
                      {{sku + ".JRTCKXETXF",
                        {{"sku", sku},
                         {"offerTermCode", "JRTCKXETXF"},
                         {"priceDimensions",
                          {{sku + ".JRTCKXETXF.6YS6EN2CT7",
                            {{"unit", "Hrs"},
                             {"pricePerUnit", {{"USD", price}}},
                             {"description", "On Demand Linux " + type}}}}}}}}}}}};
      list.push_back(product.dump());  // each entry is a JSON document in a string, as AWS sends
    }
    json out{{"FormatVersion", "aws_v1"}, {"PriceList", list}};
    if (end < prices.size()) out["NextToken"] = std::to_string(end);
    return Answer{200, out.dump(), "application/x-amz-json-1.1", ""};
  }
  return Fail(Protocol::kJson, service, 400, "InvalidAction", "The action " + target + " is not valid.", rid);
}

AwsEndpoint::Answer AwsEndpoint::Sqs(const std::string& action, const json& in, const std::string& rid) {
  auto ok = [](const json& out) { return Answer{200, out.dump(), "application/x-amz-json-1.0", ""}; };
  auto fail = [&](const adze::Error& e) {
    if (e.code == ErrorCode::kNotFound && e.message.starts_with("The receipt handle")) {
      return Fail(Protocol::kJson, "sqs", 400, "ReceiptHandleIsInvalid", e.message, rid);
    }
    if (e.code == ErrorCode::kNotFound) return Fail(Protocol::kJson, "sqs", 400, "QueueDoesNotExist", e.message, rid);
    return Fail(Protocol::kJson, "sqs", 400, "InvalidParameterValue", e.message, rid);
  };
  if (action == "CreateQueue") {
    const std::string name = Str(in, "QueueName");
    if (name.empty()) return Fail(Protocol::kJson, "sqs", 400, "MissingParameter", "QueueName is required", rid);
    return ok({{"QueueUrl", queues_->Create(name)}});
  }
  if (action == "GetQueueUrl") {
    // Any name: the twin has every queue a client asks for, as if its
    // EventBridge rule targeted it from the start.
    const std::string name = Str(in, "QueueName");
    if (name.empty()) return Fail(Protocol::kJson, "sqs", 400, "MissingParameter", "QueueName is required", rid);
    return ok({{"QueueUrl", queues_->Create(name)}});
  }
  if (action == "ListQueues") {
    json urls = json::array();
    if (auto u = queues_->UrlOf(options_.default_queue)) urls.push_back(*u);
    return ok({{"QueueUrls", urls}});
  }
  if (action != "SendMessage" && action != "ReceiveMessage" && action != "DeleteMessage" &&
      action != "GetQueueAttributes") {
    return Fail(Protocol::kJson, "sqs", 400, "InvalidAction", "The action " + action + " is not valid.", rid);
  }
  const std::string url = Str(in, "QueueUrl");
  if (url.empty()) return Fail(Protocol::kJson, "sqs", 400, "MissingParameter", "QueueUrl is required", rid);
  if (action == "SendMessage") {
    const std::string body = Str(in, "MessageBody");
    if (body.empty()) return Fail(Protocol::kJson, "sqs", 400, "MissingParameter", "MessageBody is required", rid);
    auto id = queues_->Send(url, body);
    if (!id.ok()) return fail(id.error());
    return ok({{"MessageId", *id}, {"MD5OfMessageBody", Md5Hex(body)}});
  }
  if (action == "ReceiveMessage") {
    const int max = static_cast<int>(Int(in, "MaxNumberOfMessages").value_or(1));
    const int64_t wait = Int(in, "WaitTimeSeconds").value_or(0);
    if (max < 1 || max > 10) {
      return Fail(Protocol::kJson, "sqs", 400, "InvalidParameterValue", "MaxNumberOfMessages must be 1 to 10", rid);
    }
    if (wait < 0 || wait > 20) {
      return Fail(Protocol::kJson, "sqs", 400, "InvalidParameterValue", "WaitTimeSeconds must be 0 to 20", rid);
    }
    std::optional<std::chrono::seconds> visibility;
    if (auto v = Int(in, "VisibilityTimeout")) visibility = std::chrono::seconds(std::max<int64_t>(0, *v));
    auto got = queues_->Receive(url, max, std::chrono::seconds(wait), visibility);
    if (!got.ok()) return fail(got.error());
    json out = json::object();
    if (!got->empty()) {
      json messages = json::array();
      for (const SqsMessage& m : *got) {
        messages.push_back({{"MessageId", m.message_id},
                            {"ReceiptHandle", m.receipt_handle},
                            {"MD5OfBody", Md5Hex(m.body)},
                            {"Body", m.body}});
      }
      out["Messages"] = messages;
    }
    return ok(out);
  }
  if (action == "DeleteMessage") {
    Status s = queues_->Delete(url, Str(in, "ReceiptHandle"));
    if (!s.ok()) return fail(s.error());
    return ok(json::object());
  }
  if (action == "GetQueueAttributes") {
    auto depth = queues_->Depth(url);
    if (!depth.ok()) return fail(depth.error());
    const auto name = queues_->NameOf(url).value_or("");
    return ok({{"Attributes",
                {{"ApproximateNumberOfMessages", std::to_string(depth->first)},
                 {"ApproximateNumberOfMessagesNotVisible", std::to_string(depth->second)},
                 {"VisibilityTimeout", "30"},
                 {"MessageRetentionPeriod", "300"},
                 {"QueueArn", "arn:aws:sqs:" + options_.region + ":" + options_.account + ":" + name}}}});
  }
  return Fail(Protocol::kJson, "sqs", 400, "InvalidAction", "The action " + action + " is not valid.", rid);
}

}  // namespace adze::twin
