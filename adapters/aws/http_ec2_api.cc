#include "adapters/aws/http_ec2_api.h"

#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace adze::adapters::aws {

using namespace providers::aws;

namespace {

// A parse failure of an answered call: the response was not what EC2 sends.
AwsError Malformed(const std::string& action, const Error& e) {
  return AwsError{"MalformedResponse", action + ": " + e.message};
}

std::string TodayUtc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Never throws: missing or mistyped fields read as "".
std::string StringAt(const nlohmann::json& j, const nlohmann::json::json_pointer& p) {
  if (!j.is_object() || !j.contains(p)) return "";
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : "";
}

const nlohmann::json& ObjectAt(const nlohmann::json& j, const nlohmann::json::json_pointer& p) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!j.is_object() || !j.contains(p) || !j.at(p).is_object()) return kEmpty;
  return j.at(p);
}

std::string NowIso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

HttpEc2Api::HttpEc2Api(const AwsServiceClient& ec2, const AwsServiceClient& ssm, const AwsServiceClient& pricing,
                       PostFn post, HttpEc2ApiOptions options)
    : ec2_(ec2),
      ssm_(ssm),
      pricing_(pricing),
      post_(std::move(post)),
      options_(std::move(options)),
      workers_(std::make_unique<WorkerPool>(options_.fleet_workers)) {}

HttpEc2Api::~HttpEc2Api() { workers_.reset(); }

template <typename T, typename Parse>
Outcome<std::vector<T>> HttpEc2Api::Paginate(const std::string& action, ec2::Fields fields, int max_results,
                                             Parse parse) const {
  std::vector<T> all;
  std::string token;
  if (max_results > 0) fields.emplace_back("MaxResults", std::to_string(max_results));
  for (int page = 0;; ++page) {
    ec2::Fields f = fields;
    if (!token.empty()) f.emplace_back("NextToken", token);
    auto r = ec2_.Query(action, ec2::kVersion, f, options_.call_timeout);
    if (!r.IsSuccess()) return r.GetError();
    std::string next;
    auto items = parse(r.GetResult().body, &next);
    if (!items.ok()) return Malformed(action, items.error());
    for (auto& i : *items) all.push_back(std::move(i));
    if (next.empty() || next == token) return all;
    token = std::move(next);
  }
}

Outcome<CreateLaunchTemplateResponse> HttpEc2Api::CreateLaunchTemplate(const CreateLaunchTemplateRequest& request) {
  auto r = ec2_.Query("CreateLaunchTemplate", ec2::kVersion, ec2::CreateLaunchTemplate(request, options_.launch_template),
                      options_.call_timeout);
  if (!r.IsSuccess()) return r.GetError();
  auto parsed = ec2::ParseCreateLaunchTemplate(r.GetResult().body);
  if (!parsed.ok()) return Malformed("CreateLaunchTemplate", parsed.error());
  return *parsed;
}

Outcome<CreateFleetResponse> HttpEc2Api::CreateFleetNow(const CreateFleetRequest& request,
                                                        model::Duration timeout) const {
  auto r = ec2_.Query("CreateFleet", ec2::kVersion, ec2::CreateFleet(request), timeout);
  if (!r.IsSuccess()) return r.GetError();
  auto parsed = ec2::ParseCreateFleet(r.GetResult().body);
  if (!parsed.ok()) return Malformed("CreateFleet", parsed.error());
  // Answered within the deadline, however long it then waits to be applied.
  if (options_.controller_now) parsed->answered_at = options_.controller_now();
  return *parsed;
}

void HttpEc2Api::CreateFleet(const CreateFleetRequest& request, CreateFleetDone done) {
  workers_->Submit([this, request, done = std::move(done)]() mutable {
    // The time left is read when a worker takes the request, not when it was
    // queued: in a burst a request can wait past its deadline, and sent then
    // it launches an instance that is terminated as late on arrival.
    model::Duration timeout = options_.fleet_timeout;
    if (request.deadline > 0 && options_.controller_now) timeout = request.deadline - options_.controller_now();
    // Already due: no call at all (EC2 might launch an instance nobody waits for).
    auto outcome = std::make_shared<Outcome<CreateFleetResponse>>(
        timeout <= 0 ? Outcome<CreateFleetResponse>(AwsError{"RequestTimeout", "CreateFleet: deadline already passed"})
                     : CreateFleetNow(request, timeout));
    post_([outcome, done = std::move(done)]() mutable { done(std::move(*outcome)); });
  });
}

Outcome<DescribeInstancesResponse> HttpEc2Api::DescribeInstances(const DescribeInstancesRequest& request) const {
  auto all = Paginate<Ec2Instance>("DescribeInstances", ec2::DescribeInstances(request), 0, ec2::ParseDescribeInstances);
  if (!all.IsSuccess()) return all.GetError();
  DescribeInstancesResponse out;
  out.instances = std::move(all).GetResult();
  std::sort(out.instances.begin(), out.instances.end(),
            [](const Ec2Instance& a, const Ec2Instance& b) { return a.instance_id < b.instance_id; });
  return out;
}

Outcome<TerminateInstancesResponse> HttpEc2Api::TerminateInstances(const TerminateInstancesRequest& request) {
  auto r = ec2_.Query("TerminateInstances", ec2::kVersion, ec2::TerminateInstances(request), options_.call_timeout);
  if (!r.IsSuccess()) return r.GetError();
  auto parsed = ec2::ParseTerminateInstances(r.GetResult().body);
  if (!parsed.ok()) return Malformed("TerminateInstances", parsed.error());
  return *parsed;
}

Outcome<std::monostate> HttpEc2Api::CreateTags(const CreateTagsRequest& request) {
  auto r = ec2_.Query("CreateTags", ec2::kVersion, ec2::CreateTags(request), options_.call_timeout);
  if (!r.IsSuccess()) return r.GetError();
  return std::monostate{};
}

Outcome<DescribeInstanceTypesResponse> HttpEc2Api::DescribeInstanceTypes() const {
  auto types = Paginate<catalog::InstanceTypeInfo>("DescribeInstanceTypes", {}, 100, ec2::ParseDescribeInstanceTypes);
  if (!types.IsSuccess()) return types.GetError();
  auto offerings = DescribeInstanceTypeOfferings();
  if (!offerings.IsSuccess()) return offerings.GetError();
  auto zones = ec2_.Query("DescribeAvailabilityZones", ec2::kVersion, {}, options_.call_timeout);
  if (!zones.IsSuccess()) return zones.GetError();
  auto zone_list = ec2::ParseDescribeAvailabilityZones(zones.GetResult().body);
  if (!zone_list.ok()) return Malformed("DescribeAvailabilityZones", zone_list.error());
  std::map<std::string, std::string> zone_id;
  for (const auto& z : *zone_list) zone_id[z.name] = z.id;
  std::map<std::string, std::set<std::string>> by_type;
  for (const auto& o : offerings.GetResult().offerings) by_type[o.instance_type].insert(o.location);
  const std::string today = TodayUtc();
  DescribeInstanceTypesResponse out;
  out.instance_types = std::move(types).GetResult();
  for (auto& t : out.instance_types) {
    for (const auto& z : by_type[t.instance_type]) t.zones.push_back({z, zone_id[z], today});
  }
  std::sort(out.instance_types.begin(), out.instance_types.end(),
            [](const auto& a, const auto& b) { return a.instance_type < b.instance_type; });
  return out;
}

Outcome<DescribeInstanceTypeOfferingsResponse> HttpEc2Api::DescribeInstanceTypeOfferings() const {
  auto all = Paginate<InstanceTypeOffering>("DescribeInstanceTypeOfferings", {{"LocationType", "availability-zone"}},
                                            1000, ec2::ParseDescribeInstanceTypeOfferings);
  if (!all.IsSuccess()) return all.GetError();
  return DescribeInstanceTypeOfferingsResponse{std::move(all).GetResult()};
}

Outcome<DescribeSpotPriceHistoryResponse> HttpEc2Api::DescribeSpotPriceHistory() const {
  // StartTime = now: EC2 answers the price in force now for each type and zone.
  auto all = Paginate<ec2::SpotPriceEntry>(
      "DescribeSpotPriceHistory", {{"ProductDescription.1", "Linux/UNIX"}, {"StartTime", NowIso8601()}}, 1000,
      ec2::ParseDescribeSpotPriceHistory);
  if (!all.IsSuccess()) return all.GetError();
  std::map<std::pair<std::string, std::string>, ec2::SpotPriceEntry> latest;
  for (auto& e : std::move(all).GetResult()) {
    auto key = std::make_pair(e.price.instance_type, e.price.availability_zone);
    auto it = latest.find(key);
    if (it == latest.end() || it->second.timestamp < e.timestamp) latest[key] = std::move(e);
  }
  DescribeSpotPriceHistoryResponse out;
  for (auto& [k, e] : latest) out.prices.push_back(e.price);
  return out;
}

Outcome<GetOnDemandPricesResponse> HttpEc2Api::GetOnDemandPrices() const {
  // Price List API filters (AWS docs "Using the Price List Query API"): Linux,
  // shared tenancy, no pre-installed software, capacity status Used.
  GetOnDemandPricesResponse out;
  std::string token;
  for (;;) {
    nlohmann::json body = {
        {"ServiceCode", "AmazonEC2"},
        {"FormatVersion", "aws_v1"},
        {"MaxResults", 100},
        {"Filters",
         nlohmann::json::array({{{"Type", "TERM_MATCH"}, {"Field", "regionCode"}, {"Value", options_.pricing_region}},
                                {{"Type", "TERM_MATCH"}, {"Field", "operatingSystem"}, {"Value", "Linux"}},
                                {{"Type", "TERM_MATCH"}, {"Field", "tenancy"}, {"Value", "Shared"}},
                                {{"Type", "TERM_MATCH"}, {"Field", "preInstalledSw"}, {"Value", "NA"}},
                                {{"Type", "TERM_MATCH"}, {"Field", "capacitystatus"}, {"Value", "Used"}}})}};
    if (!token.empty()) body["NextToken"] = token;
    auto r = pricing_.Json("AWSPriceListService", "GetProducts", "1.1", body.dump(), options_.call_timeout);
    if (!r.IsSuccess()) return r.GetError();
    const auto j = nlohmann::json::parse(r.GetResult().body, nullptr, false);
    if (!j.is_object()) return AwsError{"MalformedResponse", "GetProducts: not JSON"};
    const auto list = j.contains("PriceList") && j["PriceList"].is_array() ? j["PriceList"] : nlohmann::json::array();
    for (const auto& item : list) {
      // Each entry is a JSON document in a string.
      const auto p = item.is_string() ? nlohmann::json::parse(item.get<std::string>(), nullptr, false) : item;
      if (!p.is_object()) continue;
      const std::string type = StringAt(p, "/product/attributes/instanceType"_json_pointer);
      for (const auto& [term_id, term] : ObjectAt(p, "/terms/OnDemand"_json_pointer).items()) {
        for (const auto& [dim_id, dim] : ObjectAt(term, "/priceDimensions"_json_pointer).items()) {
          const std::string usd = StringAt(dim, "/pricePerUnit/USD"_json_pointer);
          if (!type.empty() && !usd.empty()) {
            const double v = std::strtod(usd.c_str(), nullptr);
            if (v > 0) out.usd_per_hour[type] = v;
          }
        }
      }
    }
    token = StringAt(j, "/NextToken"_json_pointer);
    if (token.empty()) return out;
  }
}

Outcome<DescribeCapacityReservationsResponse> HttpEc2Api::DescribeCapacityReservations() const {
  auto all = Paginate<CapacityReservation>("DescribeCapacityReservations", {{"Filter.1.Name", "state"},
                                                                            {"Filter.1.Value.1", "active"}},
                                           1000, ec2::ParseDescribeCapacityReservations);
  if (!all.IsSuccess()) return all.GetError();
  DescribeCapacityReservationsResponse out{std::move(all).GetResult()};
  std::sort(out.capacity_reservations.begin(), out.capacity_reservations.end(),
            [](const auto& a, const auto& b) { return a.capacity_reservation_id < b.capacity_reservation_id; });
  return out;
}

Outcome<DescribeSubnetsResponse> HttpEc2Api::DescribeSubnets(const SelectorTerms& terms) const {
  std::map<std::string, Subnet> by_id;
  for (const auto& t : terms) {
    auto r = Paginate<Subnet>("DescribeSubnets", ec2::SelectorTerm(t, "SubnetId", ""), 0, ec2::ParseDescribeSubnets);
    if (!r.IsSuccess()) return r.GetError();
    for (const auto& s : r.GetResult()) by_id[s.subnet_id] = s;
  }
  DescribeSubnetsResponse out;
  for (auto& [id, s] : by_id) out.subnets.push_back(s);
  return out;
}

Outcome<DescribeSecurityGroupsResponse> HttpEc2Api::DescribeSecurityGroups(const SelectorTerms& terms) const {
  std::map<std::string, SecurityGroup> by_id;
  for (const auto& t : terms) {
    auto r = Paginate<SecurityGroup>("DescribeSecurityGroups", ec2::SelectorTerm(t, "GroupId", "group-name"), 0,
                                     ec2::ParseDescribeSecurityGroups);
    if (!r.IsSuccess()) return r.GetError();
    for (const auto& g : r.GetResult()) by_id[g.group_id] = g;
  }
  DescribeSecurityGroupsResponse out;
  for (auto& [id, g] : by_id) out.security_groups.push_back(g);
  return out;
}

Outcome<DescribeImagesResponse> HttpEc2Api::DescribeImages(const DescribeImagesRequest& request) const {
  std::map<std::string, Image> by_id;
  for (const auto& t : request.terms) {
    auto r = Paginate<Image>("DescribeImages", ec2::SelectorTerm(t, "ImageId", "name"), 0, ec2::ParseDescribeImages);
    if (!r.IsSuccess()) return r.GetError();
    for (const auto& i : r.GetResult()) by_id[i.image_id] = i;
  }
  DescribeImagesResponse out;
  for (auto& [id, i] : by_id) out.images.push_back(i);
  return out;
}

Outcome<GetParameterResponse> HttpEc2Api::GetParameter(const std::string& name) const {
  auto r = ssm_.Json("AmazonSSM", "GetParameter", "1.1", nlohmann::json{{"Name", name}}.dump(), options_.call_timeout);
  if (!r.IsSuccess()) return r.GetError();
  const auto j = nlohmann::json::parse(r.GetResult().body, nullptr, false);
  const std::string value = StringAt(j, "/Parameter/Value"_json_pointer);
  if (value.empty()) return AwsError{"MalformedResponse", "GetParameter " + name + ": no Parameter.Value"};
  return GetParameterResponse{value};
}

}  // namespace adze::adapters::aws
