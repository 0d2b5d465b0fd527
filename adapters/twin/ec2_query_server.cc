#include "adapters/twin/ec2_query_server.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <pugixml.hpp>

#include "adapters/twin/eventbridge_event.h"

namespace adze::twin {

namespace aws = providers::aws;

namespace {

constexpr char kXmlns[] = "http://ec2.amazonaws.com/doc/2016-11-15/";

// ---- Form access ---------------------------------------------------------------

const std::string* Find(const FormFields& f, const std::string& name) {
  for (const auto& [k, v] : f) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string Get(const FormFields& f, const std::string& name) {
  const std::string* v = Find(f, name);
  return v ? *v : "";
}

bool HasPrefix(const FormFields& f, const std::string& prefix) {
  return std::any_of(f.begin(), f.end(), [&](const auto& kv) { return kv.first.starts_with(prefix); });
}

// prefix1, prefix2, ... while present (the Query protocol numbers from 1).
std::vector<std::string> List(const FormFields& f, const std::string& prefix) {
  std::vector<std::string> out;
  for (int i = 1;; ++i) {
    const std::string* v = Find(f, prefix + std::to_string(i));
    if (v == nullptr) return out;
    out.push_back(*v);
  }
}

// Indices N of prefix.N.* structures, 1, 2, ... while present.
std::vector<std::string> Members(const FormFields& f, const std::string& prefix) {
  std::vector<std::string> out;
  for (int i = 1;; ++i) {
    const std::string p = prefix + std::to_string(i) + ".";
    if (!HasPrefix(f, p)) return out;
    out.push_back(p);
  }
}

aws::Tags TagsOf(const FormFields& f, const std::string& prefix) {
  aws::Tags tags;
  for (const std::string& p : Members(f, prefix)) tags[Get(f, p + "Key")] = Get(f, p + "Value");
  return tags;
}

// TagSpecification.N: the tags of the first spec for `resource_type`.
aws::Tags TagSpecTags(const FormFields& f, const std::string& prefix, const std::string& resource_type) {
  for (const std::string& p : Members(f, prefix)) {
    if (Get(f, p + "ResourceType") == resource_type) return TagsOf(f, p + "Tag.");
  }
  return {};
}

std::optional<double> ParseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

// Filter.N.Name / Filter.N.Value.M.
std::vector<std::pair<std::string, std::vector<std::string>>> Filters(const FormFields& f) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const std::string& p : Members(f, "Filter.")) out.emplace_back(Get(f, p + "Name"), List(f, p + "Value."));
  return out;
}

// ---- XML building ----------------------------------------------------------------

pugi::xml_node Add(pugi::xml_node parent, const char* name) { return parent.append_child(name); }

pugi::xml_node Add(pugi::xml_node parent, const char* name, const std::string& text) {
  pugi::xml_node n = parent.append_child(name);
  n.append_child(pugi::node_pcdata).set_value(text.c_str());
  return n;
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct Doc {
  pugi::xml_document doc;
  pugi::xml_node root;
  Doc(const std::string& action, const std::string& request_id) {
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    root = doc.append_child((action + "Response").c_str());
    root.append_attribute("xmlns") = kXmlns;
    Add(root, "requestId", request_id);
  }
  std::string str() const {
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    return out.str();
  }
};

QueryAnswer Ok(const Doc& d) { return QueryAnswer{200, d.str(), ""}; }

QueryAnswer Fail(const aws::AwsError& e, const std::string& request_id) {
  return QueryAnswer{Ec2ErrorStatus(e.code), Ec2ErrorXml(e.code, e.message, request_id), e.code};
}

// One page of n items: [begin, end) and the next token ("" at the end).
struct Page {
  size_t begin = 0, end = 0;
  std::string next;
};
Result<Page> PageOf(const FormFields& f, size_t n) {
  Page p;
  if (const std::string* t = Find(f, "NextToken"); t && !t->empty()) {
    auto v = ParseNumber(*t);
    if (!v || *v < 0) return Error::InvalidArgument("NextToken " + *t + " is not valid");
    p.begin = std::min(n, static_cast<size_t>(*v));
  }
  size_t max = n;
  if (const std::string* m = Find(f, "MaxResults"); m && !m->empty()) {
    auto v = ParseNumber(*m);
    if (!v || *v < 1) return Error::InvalidArgument("MaxResults " + *m + " is not valid");
    max = static_cast<size_t>(*v);
  }
  p.end = std::min(n, p.begin + max);
  if (p.end < n) p.next = std::to_string(p.end);
  return p;
}

void AddOverride(pugi::xml_node parent, const aws::FleetOverride& o, const std::string& template_name) {
  pugi::xml_node lto = Add(parent, "launchTemplateAndOverrides");
  pugi::xml_node spec = Add(lto, "launchTemplateSpecification");
  Add(spec, "launchTemplateName", template_name);
  Add(spec, "version", "$Latest");
  pugi::xml_node ov = Add(lto, "overrides");
  Add(ov, "instanceType", o.instance_type);
  if (!o.subnet_id.empty()) Add(ov, "subnetId", o.subnet_id);
  if (!o.availability_zone.empty()) Add(ov, "availabilityZone", o.availability_zone);
  if (!o.image_id.empty()) Add(ov, "imageId", o.image_id);
  Add(ov, "priority", Num(o.priority));
  if (o.max_price) Add(ov, "maxPrice", Num(*o.max_price));
}

void AddTagSet(pugi::xml_node parent, const aws::Tags& tags) {
  pugi::xml_node set = Add(parent, "tagSet");
  for (const auto& [k, v] : tags) {
    pugi::xml_node item = Add(set, "item");
    Add(item, "key", k);
    Add(item, "value", v);
  }
}

int StateCode(const std::string& state) {
  if (state == "pending") return 0;
  if (state == "running") return 16;
  if (state == "shutting-down") return 32;
  if (state == "terminated") return 48;
  if (state == "stopping") return 64;
  return 80;  // stopped
}

std::string ArchName(const std::string& arch) { return arch == "arm64" ? "arm64" : "x86_64"; }

void AddInstanceType(pugi::xml_node item, const catalog::InstanceTypeInfo& t) {
  Add(item, "instanceType", t.instance_type);
  Add(item, "currentGeneration", t.in_latest_ec2_snapshot ? "true" : "false");
  Add(item, "bareMetal", t.bare_metal ? "true" : "false");
  if (!t.hypervisor.empty()) Add(item, "hypervisor", t.hypervisor);
  pugi::xml_node proc = Add(item, "processorInfo");
  Add(Add(proc, "supportedArchitectures"), "item", ArchName(t.arch));
  Add(Add(item, "vCpuInfo"), "defaultVCpus", std::to_string(t.vcpu));
  Add(Add(item, "memoryInfo"), "sizeInMiB", std::to_string(t.memory_mib));
  if (!t.gpu_name.empty()) {
    pugi::xml_node gpu = Add(Add(Add(item, "gpuInfo"), "gpus"), "item");
    Add(gpu, "name", t.gpu_name);
    Add(gpu, "manufacturer", t.gpu_manufacturer);
    Add(gpu, "count", std::to_string(t.gpu_count));
    if (t.gpu_memory_mib) Add(Add(gpu, "memoryInfo"), "sizeInMiB", std::to_string(*t.gpu_memory_mib));
    if (t.gpu_partition_size) Add(gpu, "gpuPartitionSize", Num(*t.gpu_partition_size));
  }
  if (t.accelerator_count > 0) {
    if (t.accelerator_manufacturer == "aws" || t.neuron_core_count) {
      pugi::xml_node dev = Add(Add(Add(item, "neuronInfo"), "neuronDevices"), "item");
      Add(dev, "name", t.accelerator_name);
      Add(dev, "count", std::to_string(t.accelerator_count));
      if (t.neuron_core_count && t.accelerator_count > 0) {
        Add(Add(dev, "coreInfo"), "count", std::to_string(*t.neuron_core_count / t.accelerator_count));
      }
    } else {
      pugi::xml_node acc = Add(Add(Add(item, "inferenceAcceleratorInfo"), "accelerators"), "item");
      Add(acc, "name", t.accelerator_name);
      Add(acc, "manufacturer", t.accelerator_manufacturer);
      Add(acc, "count", std::to_string(t.accelerator_count));
    }
  }
  if (t.local_nvme_gb > 0) {
    pugi::xml_node storage = Add(item, "instanceStorageInfo");
    Add(storage, "totalSizeInGB", std::to_string(t.local_nvme_gb));
    Add(storage, "nvmeSupport", "required");
  }
  pugi::xml_node net = Add(item, "networkInfo");
  Add(net, "maximumNetworkInterfaces", std::to_string(t.max_enis));
  Add(net, "ipv4AddressesPerInterface", std::to_string(t.ipv4_per_eni));
  Add(net, "ipv6AddressesPerInterface", std::to_string(t.ipv6_per_eni));
  Add(net, "ipv6Supported", t.ipv6_per_eni > 0 ? "true" : "false");
  Add(net, "efaSupported", t.efa_max_interfaces > 0 ? "true" : "false");
  if (t.efa_max_interfaces > 0) Add(Add(net, "efaInfo"), "maximumEfaInterfaces", std::to_string(t.efa_max_interfaces));
  Add(net, "defaultNetworkCardIndex", "0");
  pugi::xml_node cards = Add(net, "networkCards");
  pugi::xml_node card = Add(cards, "item");
  Add(card, "networkCardIndex", "0");
  Add(card, "maximumNetworkInterfaces",
      std::to_string(t.max_enis_default_card > 0 ? t.max_enis_default_card : t.max_enis));
  if (t.network_bandwidth_mbps) {
    Add(card, "baselineBandwidthInGbps", Num(static_cast<double>(*t.network_bandwidth_mbps) / 1000.0));
  }
  if (t.max_enis_default_card > 0 && t.max_enis > t.max_enis_default_card) {
    // The other cards' interfaces (types with several network cards).
    pugi::xml_node rest = Add(cards, "item");
    Add(rest, "networkCardIndex", "1");
    Add(rest, "maximumNetworkInterfaces", std::to_string(t.max_enis - t.max_enis_default_card));
  }
}

}  // namespace

std::string Ec2ErrorXml(const std::string& code, const std::string& message, const std::string& request_id) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("Response");
  pugi::xml_node e = Add(Add(root, "Errors"), "Error");
  Add(e, "Code", code);
  Add(e, "Message", message);
  Add(root, "RequestID", request_id);
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

int Ec2ErrorStatus(const std::string& code) {
  if (code == "RequestLimitExceeded" || code == "ServiceUnavailable" || code == "Unavailable" ||
      code == "RequestTimeout") {
    return 503;
  }
  if (code == "InternalError" || code == "InternalFailure") return 500;
  if (code == "AuthFailure" || code == "UnauthorizedOperation") return 403;
  return 400;
}

// ---- Decoders ----------------------------------------------------------------------

Result<aws::CreateLaunchTemplateRequest> DecodeCreateLaunchTemplate(const FormFields& f) {
  aws::CreateLaunchTemplateRequest r;
  r.launch_template_name = Get(f, "LaunchTemplateName");
  if (r.launch_template_name.empty()) return Error::InvalidArgument("LaunchTemplateName is required");
  r.image_id = Get(f, "LaunchTemplateData.ImageId");
  r.security_group_ids = List(f, "LaunchTemplateData.SecurityGroupId.");
  r.user_data = Get(f, "LaunchTemplateData.UserData");  // base64, kept as sent
  r.tags = TagSpecTags(f, "TagSpecification.", "launch-template");
  return r;
}

Result<aws::CreateFleetRequest> DecodeCreateFleet(const FormFields& f) {
  aws::CreateFleetRequest r;
  const std::string type = Get(f, "Type");
  if (!type.empty() && type != "instant") {
    return Error::InvalidArgument("Type " + type + ": the twin serves instant fleets only");
  }
  const std::string lt = "LaunchTemplateConfigs.1.";
  r.launch_template_name = Get(f, lt + "LaunchTemplateSpecification.LaunchTemplateName");
  if (r.launch_template_name.empty()) r.launch_template_name = Get(f, lt + "LaunchTemplateSpecification.LaunchTemplateId");
  if (r.launch_template_name.empty()) {
    return Error::InvalidArgument("LaunchTemplateConfigs.1.LaunchTemplateSpecification: a LaunchTemplateName is required");
  }
  for (const std::string& p : Members(f, lt + "Overrides.")) {
    aws::FleetOverride o;
    o.instance_type = Get(f, p + "InstanceType");
    o.subnet_id = Get(f, p + "SubnetId");
    o.availability_zone = Get(f, p + "AvailabilityZone");
    o.image_id = Get(f, p + "ImageId");
    if (o.instance_type.empty()) return Error::InvalidArgument(p + "InstanceType is required");
    if (const std::string* pr = Find(f, p + "Priority")) {
      auto v = ParseNumber(*pr);
      if (!v) return Error::InvalidArgument(p + "Priority " + *pr + " is not a number");
      o.priority = *v;
    }
    if (const std::string* mp = Find(f, p + "MaxPrice")) {
      o.max_price = ParseNumber(*mp);
      if (!o.max_price) return Error::InvalidArgument(p + "MaxPrice " + *mp + " is not a number");
    }
    r.overrides.push_back(std::move(o));
  }
  if (r.overrides.empty()) return Error::InvalidArgument("LaunchTemplateConfigs.1.Overrides: at least one override is required");
  const std::string total = Get(f, "TargetCapacitySpecification.TotalTargetCapacity");
  auto n = ParseNumber(total);
  if (!n || *n < 1) return Error::InvalidArgument("TargetCapacitySpecification.TotalTargetCapacity " + total + " is not a positive number");
  r.total_target_capacity = static_cast<int32_t>(*n);
  r.default_target_capacity_type = Get(f, "TargetCapacitySpecification.DefaultTargetCapacityType");
  if (r.default_target_capacity_type.empty()) r.default_target_capacity_type = "on-demand";
  if (r.default_target_capacity_type != "spot" && r.default_target_capacity_type != "on-demand") {
    return Error::InvalidArgument("TargetCapacitySpecification.DefaultTargetCapacityType " +
                                  r.default_target_capacity_type + ": expected spot or on-demand");
  }
  r.allocation_strategy = Get(f, r.default_target_capacity_type == "spot" ? "SpotOptions.AllocationStrategy"
                                                                          : "OnDemandOptions.AllocationStrategy");
  if (r.default_target_capacity_type == "on-demand" &&
      Get(f, "OnDemandOptions.CapacityReservationOptions.UsageStrategy") == "use-capacity-reservations-first") {
    r.default_target_capacity_type = "reserved-capacity";
  }
  r.tags = TagSpecTags(f, "TagSpecification.", "instance");
  return r;
}

aws::DescribeInstancesRequest DecodeDescribeInstances(const FormFields& f) {
  aws::DescribeInstancesRequest r;
  r.instance_ids = List(f, "InstanceId.");
  for (const auto& [name, values] : Filters(f)) {
    if (name == "tag-key") r.tag_keys.insert(r.tag_keys.end(), values.begin(), values.end());
  }
  return r;
}

model::SelectorTerm DecodeSelectorTerm(const FormFields& f, const std::string& id_field,
                                       const std::string& name_filter) {
  model::SelectorTerm t;
  t.id = Get(f, id_field + ".1");
  for (const auto& [name, values] : Filters(f)) {
    if (values.empty()) continue;
    if (name == "tag-key") {
      t.tags[values[0]] = "*";
    } else if (name.starts_with("tag:")) {
      t.tags[name.substr(4)] = values[0];
    } else if (!name_filter.empty() && name == name_filter) {
      t.name = values[0];
    }
  }
  t.owner = Get(f, "Owner.1");
  return t;
}

// ---- The server ------------------------------------------------------------------

Ec2QueryServer::Ec2QueryServer(TwinEc2& ec2, std::function<int64_t()> wall_now)
    : ec2_(ec2), wall_now_(std::move(wall_now)) {}

bool Ec2QueryServer::Serves(const std::string& action) {
  static const char* const kActions[] = {
      "CreateLaunchTemplate",          "CreateFleet",           "DescribeInstances",
      "TerminateInstances",            "CreateTags",            "DescribeInstanceTypes",
      "DescribeInstanceTypeOfferings", "DescribeAvailabilityZones", "DescribeSpotPriceHistory",
      "DescribeCapacityReservations",  "DescribeSubnets",       "DescribeSecurityGroups",
      "DescribeImages"};
  return std::find(std::begin(kActions), std::end(kActions), action) != std::end(kActions);
}

QueryAnswer Ec2QueryServer::Handle(const std::string& action, const FormFields& f, const std::string& rid,
                                   std::chrono::milliseconds create_fleet_timeout) {
  auto invalid = [&](const Error& e) { return Fail(aws::AwsError{"InvalidParameterValue", e.message}, rid); };
  Doc d(action, rid);
  pugi::xml_node root = d.root;

  if (action == "CreateLaunchTemplate") {
    auto req = DecodeCreateLaunchTemplate(f);
    if (!req.ok()) return invalid(req.error());
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.CreateLaunchTemplate(*req); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node lt = Add(root, "launchTemplate");
    Add(lt, "launchTemplateId", r.GetResult().launch_template_id);
    Add(lt, "launchTemplateName", req->launch_template_name);
    Add(lt, "defaultVersionNumber", "1");
    Add(lt, "latestVersionNumber", "1");
    return Ok(d);
  }
  if (action == "CreateFleet") {
    auto req = DecodeCreateFleet(f);
    if (!req.ok()) return invalid(req.error());
    const std::string template_name = req->launch_template_name;
    auto r = ec2_.CreateFleet(*req, create_fleet_timeout);
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    const aws::CreateFleetResponse& fleet = r.GetResult();
    Add(root, "fleetId", fleet.fleet_id);
    pugi::xml_node errors = Add(root, "errorSet");
    for (const aws::FleetError& e : fleet.errors) {
      pugi::xml_node item = Add(errors, "item");
      AddOverride(item, e.override, template_name);
      Add(item, "lifecycle", req->default_target_capacity_type == "spot" ? "spot" : "on-demand");
      Add(item, "errorCode", e.error_code);
      Add(item, "errorMessage", e.error_message);
    }
    pugi::xml_node instances = Add(root, "fleetInstanceSet");
    for (const aws::FleetInstance& i : fleet.instances) {
      pugi::xml_node item = Add(instances, "item");
      AddOverride(item, i.launched_with, template_name);
      Add(item, "lifecycle", i.lifecycle);
      pugi::xml_node ids = Add(item, "instanceIds");
      for (const std::string& id : i.instance_ids) Add(ids, "item", id);
      Add(item, "instanceType", i.launched_with.instance_type);
      Add(item, "platform", "Linux/UNIX");
    }
    return Ok(d);
  }
  if (action == "DescribeInstances") {
    const aws::DescribeInstancesRequest req = DecodeDescribeInstances(f);
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeInstances(req); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    for (const std::string& id : req.instance_ids) {
      const auto& all = r.GetResult().instances;
      if (std::none_of(all.begin(), all.end(), [&](const aws::Ec2Instance& i) { return i.instance_id == id; }) &&
          req.tag_keys.empty()) {
        return Fail(aws::AwsError{"InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"}, rid);
      }
    }
    // Filters the simulator does not take: tag:<key>, instance-state-name, instance-type.
    std::vector<const aws::Ec2Instance*> kept;
    const auto filters = Filters(f);
    for (const aws::Ec2Instance& i : r.GetResult().instances) {
      bool ok = true;
      for (const auto& [name, values] : filters) {
        auto any = [&](const std::string& v) { return std::find(values.begin(), values.end(), v) != values.end(); };
        if (name.starts_with("tag:")) {
          auto it = i.tags.find(name.substr(4));
          ok = ok && it != i.tags.end() && any(it->second);
        } else if (name == "instance-state-name") {
          ok = ok && any(i.state);
        } else if (name == "instance-type") {
          ok = ok && any(i.instance_type);
        }
      }
      if (ok) kept.push_back(&i);
    }
    auto page = PageOf(f, kept.size());
    if (!page.ok()) return invalid(page.error());
    pugi::xml_node reservations = Add(root, "reservationSet");
    for (size_t k = page->begin; k < page->end; ++k) {
      const aws::Ec2Instance& i = *kept[k];
      pugi::xml_node res = Add(reservations, "item");
      Add(res, "reservationId", "r-" + i.instance_id.substr(2));
      Add(res, "ownerId", "000000000000");
      pugi::xml_node item = Add(Add(res, "instancesSet"), "item");
      Add(item, "instanceId", i.instance_id);
      Add(item, "imageId", i.image_id);
      pugi::xml_node state = Add(item, "instanceState");
      Add(state, "code", std::to_string(StateCode(i.state)));
      Add(state, "name", i.state);
      Add(item, "instanceType", i.instance_type);
      Add(item, "launchTime", Iso8601Seconds(ec2_.ToWall(i.launch_time)));
      Add(Add(item, "placement"), "availabilityZone", i.availability_zone);
      if (!i.subnet_id.empty()) Add(item, "subnetId", i.subnet_id);
      pugi::xml_node groups = Add(item, "groupSet");
      for (const std::string& g : i.security_group_ids) Add(Add(groups, "item"), "groupId", g);
      if (!i.instance_lifecycle.empty()) Add(item, "instanceLifecycle", i.instance_lifecycle);
      if (!i.capacity_reservation_id.empty()) Add(item, "capacityReservationId", i.capacity_reservation_id);
      AddTagSet(item, i.tags);
    }
    if (!page->next.empty()) Add(root, "nextToken", page->next);
    return Ok(d);
  }
  if (action == "TerminateInstances") {
    aws::TerminateInstancesRequest req{List(f, "InstanceId.")};
    if (req.instance_ids.empty()) return invalid(Error::InvalidArgument("InstanceId.1 is required"));
    std::map<std::string, std::string> before;
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) {
      if (auto d = e.DescribeInstances(aws::DescribeInstancesRequest{req.instance_ids, {}}); d.IsSuccess()) {
        for (const auto& i : d.GetResult().instances) before[i.instance_id] = i.state;
      }
      return e.TerminateInstances(req);
    });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node set = Add(root, "instancesSet");
    for (const std::string& id : r.GetResult().terminating_instance_ids) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "instanceId", id);
      const std::string prev = before.count(id) ? before[id] : "running";
      pugi::xml_node cur = Add(item, "currentState");
      Add(cur, "code", std::to_string(StateCode(prev == "terminated" ? "terminated" : "shutting-down")));
      Add(cur, "name", prev == "terminated" ? "terminated" : "shutting-down");
      pugi::xml_node pre = Add(item, "previousState");
      Add(pre, "code", std::to_string(StateCode(prev)));
      Add(pre, "name", prev);
    }
    return Ok(d);
  }
  if (action == "CreateTags") {
    aws::CreateTagsRequest req{List(f, "ResourceId."), TagsOf(f, "Tag.")};
    if (req.resources.empty()) return invalid(Error::InvalidArgument("ResourceId.1 is required"));
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.CreateTags(req); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    Add(root, "return", "true");
    return Ok(d);
  }
  if (action == "DescribeInstanceTypes") {
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeInstanceTypes(); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    const std::vector<std::string> wanted = List(f, "InstanceType.");
    std::vector<const catalog::InstanceTypeInfo*> types;
    for (const auto& t : r.GetResult().instance_types) {
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), t.instance_type) != wanted.end()) {
        types.push_back(&t);
      }
    }
    auto page = PageOf(f, types.size());
    if (!page.ok()) return invalid(page.error());
    pugi::xml_node set = Add(root, "instanceTypeSet");
    for (size_t k = page->begin; k < page->end; ++k) AddInstanceType(Add(set, "item"), *types[k]);
    if (!page->next.empty()) Add(root, "nextToken", page->next);
    return Ok(d);
  }
  if (action == "DescribeInstanceTypeOfferings") {
    const std::string location_type = Get(f, "LocationType");
    if (!location_type.empty() && location_type != "availability-zone") {
      return invalid(Error::InvalidArgument("LocationType " + location_type + ": the twin serves availability-zone"));
    }
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeInstanceTypeOfferings(); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    const auto& all = r.GetResult().offerings;
    auto page = PageOf(f, all.size());
    if (!page.ok()) return invalid(page.error());
    pugi::xml_node set = Add(root, "instanceTypeOfferingSet");
    for (size_t k = page->begin; k < page->end; ++k) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "instanceType", all[k].instance_type);
      Add(item, "locationType", "availability-zone");
      Add(item, "location", all[k].location);
    }
    if (!page->next.empty()) Add(root, "nextToken", page->next);
    return Ok(d);
  }
  if (action == "DescribeAvailabilityZones") {
    // The region's zones are the simulator's subnets' zones (one subnet each).
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeSubnets({model::SelectorTerm{}}); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node set = Add(root, "availabilityZoneInfo");
    for (const aws::Subnet& s : r.GetResult().subnets) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "zoneName", s.availability_zone);
      Add(item, "zoneId", s.availability_zone_id);
      Add(item, "zoneState", "available");
      Add(item, "zoneType", "availability-zone");
      const std::string region = s.availability_zone.substr(0, s.availability_zone.size() - 1);
      Add(item, "regionName", region);
    }
    return Ok(d);
  }
  if (action == "DescribeSpotPriceHistory") {
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeSpotPriceHistory(); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    std::vector<const aws::SpotPrice*> prices;
    const std::vector<std::string> wanted = List(f, "InstanceType.");
    for (const aws::SpotPrice& p : r.GetResult().prices) {
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), p.instance_type) != wanted.end()) {
        prices.push_back(&p);
      }
    }
    auto page = PageOf(f, prices.size());
    if (!page.ok()) return invalid(page.error());
    const std::string now = Iso8601Seconds(wall_now_());
    pugi::xml_node set = Add(root, "spotPriceHistorySet");
    for (size_t k = page->begin; k < page->end; ++k) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "instanceType", prices[k]->instance_type);
      Add(item, "productDescription", "Linux/UNIX");
      Add(item, "spotPrice", Num(prices[k]->spot_price));
      Add(item, "timestamp", now);
      Add(item, "availabilityZone", prices[k]->availability_zone);
    }
    if (!page->next.empty()) Add(root, "nextToken", page->next);
    return Ok(d);
  }
  if (action == "DescribeCapacityReservations") {
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeCapacityReservations(); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    const auto& all = r.GetResult().capacity_reservations;
    auto page = PageOf(f, all.size());
    if (!page.ok()) return invalid(page.error());
    pugi::xml_node set = Add(root, "capacityReservationSet");
    for (size_t k = page->begin; k < page->end; ++k) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "capacityReservationId", all[k].capacity_reservation_id);
      Add(item, "instanceType", all[k].instance_type);
      Add(item, "instancePlatform", "Linux/UNIX");
      Add(item, "availabilityZone", all[k].availability_zone);
      Add(item, "totalInstanceCount", std::to_string(all[k].total_instance_count));
      Add(item, "availableInstanceCount", std::to_string(all[k].available_instance_count));
      Add(item, "state", all[k].state);
      Add(item, "instanceMatchCriteria", "targeted");
    }
    if (!page->next.empty()) Add(root, "nextToken", page->next);
    return Ok(d);
  }
  if (action == "DescribeSubnets") {
    const model::SelectorTerm term = DecodeSelectorTerm(f, "SubnetId", "");
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeSubnets({term}); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node set = Add(root, "subnetSet");
    for (const aws::Subnet& s : r.GetResult().subnets) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "subnetId", s.subnet_id);
      Add(item, "state", "available");
      Add(item, "vpcId", "vpc-0adze0twin0000000");
      Add(item, "availabilityZone", s.availability_zone);
      Add(item, "availabilityZoneId", s.availability_zone_id);
      Add(item, "availableIpAddressCount", std::to_string(s.available_ip_address_count));
    }
    return Ok(d);
  }
  if (action == "DescribeSecurityGroups") {
    const model::SelectorTerm term = DecodeSelectorTerm(f, "GroupId", "group-name");
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeSecurityGroups({term}); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node set = Add(root, "securityGroupInfo");
    for (const aws::SecurityGroup& g : r.GetResult().security_groups) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "groupId", g.group_id);
      Add(item, "groupName", g.group_name);
      Add(item, "ownerId", "000000000000");
      Add(item, "vpcId", "vpc-0adze0twin0000000");
    }
    return Ok(d);
  }
  if (action == "DescribeImages") {
    const model::SelectorTerm term = DecodeSelectorTerm(f, "ImageId", "name");
    auto r = ec2_.Locked([&](sim::SimulatedEc2& e) { return e.DescribeImages(aws::DescribeImagesRequest{{term}}); });
    if (!r.IsSuccess()) return Fail(r.GetError(), rid);
    pugi::xml_node set = Add(root, "imagesSet");
    for (const aws::Image& i : r.GetResult().images) {
      pugi::xml_node item = Add(set, "item");
      Add(item, "imageId", i.image_id);
      Add(item, "name", i.name);
      Add(item, "creationDate", i.creation_date);
      Add(item, "architecture", i.architecture);
      Add(item, "imageState", "available");
    }
    return Ok(d);
  }
  return Fail(aws::AwsError{"InvalidAction", "The action " + action + " is not valid for this web service."}, rid);
}

}  // namespace adze::twin
