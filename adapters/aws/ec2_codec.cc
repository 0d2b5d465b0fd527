#include "adapters/aws/ec2_codec.h"

#include <cctype>
#include <cstdio>

#include <openssl/evp.h>

#include "adapters/aws/xml_reader.h"

namespace adze::adapters::aws::ec2 {
namespace {

using namespace providers::aws;

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void AddTags(Fields& f, const std::string& prefix, const Tags& tags) {
  int i = 1;
  for (const auto& [k, v] : tags) {
    f.emplace_back(prefix + std::to_string(i) + ".Key", k);
    f.emplace_back(prefix + std::to_string(i) + ".Value", v);
    ++i;
  }
}

void AddTagSpecs(Fields& f, const std::string& prefix, const std::vector<std::string>& types, const Tags& tags) {
  if (tags.empty()) return;
  int n = 1;
  for (const auto& type : types) {
    const std::string p = prefix + std::to_string(n++) + ".";
    f.emplace_back(p + "ResourceType", type);
    AddTags(f, p + "Tag.", tags);
  }
}

void AddList(Fields& f, const std::string& prefix, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) f.emplace_back(prefix + std::to_string(i + 1), values[i]);
}

Result<pugi::xml_node> Root(pugi::xml_document& doc, const std::string& xml, std::string_view expected) {
  auto root = ParseXml(doc, xml);
  if (!root.ok()) return root.error();
  if (LocalName(*root) != expected) {
    return Error::Internal("expected <" + std::string(expected) + ">, got <" + std::string(LocalName(*root)) + ">");
  }
  return root;
}

Tags ParseTags(const pugi::xml_node& n) {
  Tags tags;
  for (const auto& t : Items(n, "tagSet")) tags[Text(t, "key")] = Text(t, "value");
  return tags;
}

FleetOverride ParseOverride(const pugi::xml_node& lto) {
  const pugi::xml_node o = Child(lto, "overrides");
  FleetOverride f;
  f.instance_type = Text(o, "instanceType");
  f.subnet_id = Text(o, "subnetId");
  f.availability_zone = Text(o, "availabilityZone");
  f.image_id = Text(o, "imageId");
  f.priority = Double(o, "priority").value_or(0);
  f.max_price = Double(o, "maxPrice");
  return f;
}

std::string Arch(const pugi::xml_node& type) {
  bool arm = false;
  for (const auto& a : Items(Child(type, "processorInfo"), "supportedArchitectures")) {
    const std::string v = a.text().get();
    if (v == "x86_64") return "amd64";
    if (v == "arm64") arm = true;
  }
  return arm ? "arm64" : "";
}

// Karpenter's (^[a-z]+)(\-[0-9]+tb)?([0-9]+).*\. on the type name.
void CategoryAndGeneration(const std::string& type, std::string* category, int32_t* generation) {
  size_t i = 0;
  while (i < type.size() && std::islower(static_cast<unsigned char>(type[i]))) ++i;
  *category = type.substr(0, i);
  if (i < type.size() && type[i] == '-') {  // u-6tb1: skip the memory size
    size_t j = i + 1;
    while (j < type.size() && std::isdigit(static_cast<unsigned char>(type[j]))) ++j;
    if (type.compare(j, 2, "tb") == 0) i = j + 2;
  }
  int32_t g = 0;
  while (i < type.size() && std::isdigit(static_cast<unsigned char>(type[i]))) g = g * 10 + (type[i++] - '0');
  *generation = g;
}

}  // namespace

std::string NormalizeName(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Fields CreateLaunchTemplate(const CreateLaunchTemplateRequest& r, const LaunchTemplateDefaults& d) {
  Fields f{{"LaunchTemplateName", r.launch_template_name}, {"LaunchTemplateData.ImageId", r.image_id}};
  AddList(f, "LaunchTemplateData.SecurityGroupId.", r.security_group_ids);
  if (!r.user_data.empty()) f.emplace_back("LaunchTemplateData.UserData", Base64(r.user_data));
  f.emplace_back("LaunchTemplateData.MetadataOptions.HttpEndpoint", "enabled");
  f.emplace_back("LaunchTemplateData.MetadataOptions.HttpTokens", d.http_tokens);
  f.emplace_back("LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit",
                 std::to_string(d.http_put_response_hop_limit));
  if (r.block_device_mappings.empty()) {
    const std::string bdm = "LaunchTemplateData.BlockDeviceMapping.1.";
    f.emplace_back(bdm + "DeviceName", d.root_device_name);
    f.emplace_back(bdm + "Ebs.VolumeSize", std::to_string(d.root_volume_gib));
    f.emplace_back(bdm + "Ebs.VolumeType", d.root_volume_type);
    f.emplace_back(bdm + "Ebs.Encrypted", "true");
    f.emplace_back(bdm + "Ebs.DeleteOnTermination", "true");
    if (!d.root_snapshot_id.empty()) f.emplace_back(bdm + "Ebs.SnapshotId", d.root_snapshot_id);
  }
  int n = 1;
  for (const model::BlockDeviceMapping& m : r.block_device_mappings) {
    const std::string bdm = "LaunchTemplateData.BlockDeviceMapping." + std::to_string(n++) + ".";
    f.emplace_back(bdm + "DeviceName", m.device_name);
    const model::EbsVolume& ebs = m.ebs;
    // EC2 takes whole GiB; a NodeClass writes a quantity (100Gi, 50G).
    if (ebs.volume_size) {
      const int64_t gib = (ebs.volume_size->Value() + (int64_t{1} << 30) - 1) >> 30;
      f.emplace_back(bdm + "Ebs.VolumeSize", std::to_string(gib));
    }
    if (!ebs.volume_type.empty()) f.emplace_back(bdm + "Ebs.VolumeType", ebs.volume_type);
    if (ebs.iops) f.emplace_back(bdm + "Ebs.Iops", std::to_string(*ebs.iops));
    if (ebs.throughput) f.emplace_back(bdm + "Ebs.Throughput", std::to_string(*ebs.throughput));
    if (ebs.encrypted) f.emplace_back(bdm + "Ebs.Encrypted", *ebs.encrypted ? "true" : "false");
    if (!ebs.kms_key_id.empty()) f.emplace_back(bdm + "Ebs.KmsKeyId", ebs.kms_key_id);
    if (ebs.delete_on_termination) {
      f.emplace_back(bdm + "Ebs.DeleteOnTermination", *ebs.delete_on_termination ? "true" : "false");
    }
    if (!ebs.snapshot_id.empty()) f.emplace_back(bdm + "Ebs.SnapshotId", ebs.snapshot_id);
    if (ebs.volume_initialization_rate) {
      f.emplace_back(bdm + "Ebs.VolumeInitializationRate", std::to_string(*ebs.volume_initialization_rate));
    }
  }
  // The instances' and volumes' tags travel in the launch template as well as
  // on the fleet, as Karpenter does.
  AddTagSpecs(f, "TagSpecification.", {"launch-template"}, r.tags);
  AddTagSpecs(f, "LaunchTemplateData.TagSpecification.", {"instance", "volume"}, r.tags);
  return f;
}

Fields CreateFleet(const CreateFleetRequest& r) {
  Fields f{{"Type", "instant"},
           {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName", r.launch_template_name},
           {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "$Latest"}};
  int i = 1;
  for (const FleetOverride& o : r.overrides) {
    const std::string p = "LaunchTemplateConfigs.1.Overrides." + std::to_string(i++) + ".";
    f.emplace_back(p + "InstanceType", o.instance_type);
    if (!o.subnet_id.empty()) f.emplace_back(p + "SubnetId", o.subnet_id);
    if (!o.availability_zone.empty()) f.emplace_back(p + "AvailabilityZone", o.availability_zone);
    if (!o.image_id.empty()) f.emplace_back(p + "ImageId", o.image_id);
    f.emplace_back(p + "Priority", Num(o.priority));
    if (o.max_price) f.emplace_back(p + "MaxPrice", Num(*o.max_price));
  }
  const std::string type = r.default_target_capacity_type == "reserved-capacity" ? "on-demand"
                                                                                 : r.default_target_capacity_type;
  f.emplace_back("TargetCapacitySpecification.TotalTargetCapacity", std::to_string(r.total_target_capacity));
  f.emplace_back("TargetCapacitySpecification.DefaultTargetCapacityType", type);
  if (!r.allocation_strategy.empty()) {
    f.emplace_back(type == "spot" ? "SpotOptions.AllocationStrategy" : "OnDemandOptions.AllocationStrategy",
                   r.allocation_strategy);
  }
  if (r.default_target_capacity_type == "reserved-capacity") {
    f.emplace_back("OnDemandOptions.CapacityReservationOptions.UsageStrategy", "use-capacity-reservations-first");
  }
  AddTagSpecs(f, "TagSpecification.", {"instance", "volume", "fleet"}, r.tags);
  return f;
}

Fields DescribeInstances(const DescribeInstancesRequest& r) {
  Fields f;
  AddList(f, "InstanceId.", r.instance_ids);
  int n = 1;
  for (const std::string& k : r.tag_keys) {
    f.emplace_back("Filter." + std::to_string(n) + ".Name", "tag-key");
    f.emplace_back("Filter." + std::to_string(n) + ".Value.1", k);
    ++n;
  }
  return f;
}

Fields TerminateInstances(const TerminateInstancesRequest& r) {
  Fields f;
  AddList(f, "InstanceId.", r.instance_ids);
  return f;
}

Fields CreateTags(const CreateTagsRequest& r) {
  Fields f;
  AddList(f, "ResourceId.", r.resources);
  AddTags(f, "Tag.", r.tags);
  return f;
}

Fields SelectorTerm(const model::SelectorTerm& t, const std::string& id_field, const std::string& name_filter) {
  Fields f;
  if (!t.id.empty()) f.emplace_back(id_field + ".1", t.id);
  int n = 1;
  auto filter = [&](const std::string& name, const std::string& value) {
    f.emplace_back("Filter." + std::to_string(n) + ".Name", name);
    f.emplace_back("Filter." + std::to_string(n) + ".Value.1", value);
    ++n;
  };
  for (const auto& [k, v] : t.tags) {
    if (v == "*") {
      filter("tag-key", k);
    } else {
      filter("tag:" + k, v);
    }
  }
  if (!t.name.empty() && !name_filter.empty()) filter(name_filter, t.name);
  if (!t.owner.empty()) f.emplace_back("Owner.1", t.owner);
  return f;
}

Result<CreateLaunchTemplateResponse> ParseCreateLaunchTemplate(const std::string& xml) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "CreateLaunchTemplateResponse");
  if (!root.ok()) return root.error();
  CreateLaunchTemplateResponse r{Text(Child(*root, "launchTemplate"), "launchTemplateId")};
  if (r.launch_template_id.empty()) return Error::Internal("CreateLaunchTemplate: no launchTemplateId");
  return r;
}

Result<CreateFleetResponse> ParseCreateFleet(const std::string& xml) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "CreateFleetResponse");
  if (!root.ok()) return root.error();
  CreateFleetResponse r;
  r.fleet_id = Text(*root, "fleetId");
  for (const auto& item : Items(*root, "fleetInstanceSet")) {
    FleetInstance fi;
    for (const auto& id : Items(item, "instanceIds")) fi.instance_ids.emplace_back(id.text().get());
    fi.launched_with = ParseOverride(Child(item, "launchTemplateAndOverrides"));
    if (fi.launched_with.instance_type.empty()) fi.launched_with.instance_type = Text(item, "instanceType");
    fi.lifecycle = Text(item, "lifecycle");
    if (fi.lifecycle.empty()) fi.lifecycle = "on-demand";
    r.instances.push_back(std::move(fi));
  }
  for (const auto& item : Items(*root, "errorSet")) {
    r.errors.push_back(FleetError{ParseOverride(Child(item, "launchTemplateAndOverrides")), Text(item, "errorCode"),
                                  Text(item, "errorMessage")});
  }
  return r;
}

Result<std::vector<Ec2Instance>> ParseDescribeInstances(const std::string& xml, std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeInstancesResponse");
  if (!root.ok()) return root.error();
  std::vector<Ec2Instance> out;
  for (const auto& res : Items(*root, "reservationSet")) {
    for (const auto& i : Items(res, "instancesSet")) {
      Ec2Instance e;
      e.instance_id = Text(i, "instanceId");
      e.instance_type = Text(i, "instanceType");
      e.availability_zone = Text(Child(i, "placement"), "availabilityZone");
      e.subnet_id = Text(i, "subnetId");
      e.image_id = Text(i, "imageId");
      for (const auto& g : Items(i, "groupSet")) e.security_group_ids.push_back(Text(g, "groupId"));
      e.instance_lifecycle = Text(i, "instanceLifecycle");
      e.capacity_reservation_id = Text(i, "capacityReservationId");
      e.state = Text(Child(i, "instanceState"), "name");
      e.tags = ParseTags(i);
      out.push_back(std::move(e));
    }
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<TerminateInstancesResponse> ParseTerminateInstances(const std::string& xml) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "TerminateInstancesResponse");
  if (!root.ok()) return root.error();
  TerminateInstancesResponse r;
  for (const auto& i : Items(*root, "instancesSet")) r.terminating_instance_ids.push_back(Text(i, "instanceId"));
  return r;
}

Result<std::vector<catalog::InstanceTypeInfo>> ParseDescribeInstanceTypes(const std::string& xml,
                                                                          std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeInstanceTypesResponse");
  if (!root.ok()) return root.error();
  std::vector<catalog::InstanceTypeInfo> out;
  for (const auto& t : Items(*root, "instanceTypeSet")) {
    catalog::InstanceTypeInfo i;
    i.instance_type = Text(t, "instanceType");
    const auto dot = i.instance_type.find('.');
    i.family = i.instance_type.substr(0, dot);
    i.size = dot == std::string::npos ? "" : i.instance_type.substr(dot + 1);
    CategoryAndGeneration(i.instance_type, &i.category, &i.generation);
    i.arch = Arch(t);
    i.vcpu = static_cast<int32_t>(Int(Child(t, "vCpuInfo"), "defaultVCpus").value_or(0));
    i.memory_mib = Int(Child(t, "memoryInfo"), "sizeInMiB").value_or(0);
    const auto gpus = Items(Child(t, "gpuInfo"), "gpus");
    if (!gpus.empty()) {
      i.gpu_count = static_cast<int32_t>(Int(gpus[0], "count").value_or(0));
      i.gpu_name = NormalizeName(Text(gpus[0], "name"));
      i.gpu_manufacturer = NormalizeName(Text(gpus[0], "manufacturer"));
      i.gpu_memory_mib = Int(Child(gpus[0], "memoryInfo"), "sizeInMiB");
      i.gpu_partition_size = Double(gpus[0], "gpuPartitionSize");
    }
    const auto neuron = Items(Child(t, "neuronInfo"), "neuronDevices");
    const auto inference = Items(Child(t, "inferenceAcceleratorInfo"), "accelerators");
    if (!neuron.empty()) {
      i.accelerator_count = static_cast<int32_t>(Int(neuron[0], "count").value_or(0));
      i.accelerator_name = NormalizeName(Text(neuron[0], "name"));
      i.accelerator_manufacturer = "aws";
      if (auto cores = Int(Child(neuron[0], "coreInfo"), "count")) {
        i.neuron_core_count = static_cast<int32_t>(*cores * i.accelerator_count);
      }
    } else if (!inference.empty()) {
      i.accelerator_count = static_cast<int32_t>(Int(inference[0], "count").value_or(0));
      i.accelerator_name = NormalizeName(Text(inference[0], "name"));
      i.accelerator_manufacturer = NormalizeName(Text(inference[0], "manufacturer"));
    }
    const pugi::xml_node storage = Child(t, "instanceStorageInfo");
    if (Text(storage, "nvmeSupport") != "unsupported") i.local_nvme_gb = Int(storage, "totalSizeInGB").value_or(0);
    const pugi::xml_node net = Child(t, "networkInfo");
    i.max_enis = static_cast<int32_t>(Int(net, "maximumNetworkInterfaces").value_or(0));
    i.ipv4_per_eni = static_cast<int32_t>(Int(net, "ipv4AddressesPerInterface").value_or(0));
    i.ipv6_per_eni = static_cast<int32_t>(Int(net, "ipv6AddressesPerInterface").value_or(0));
    if (Text(net, "efaSupported") == "true") {
      i.efa_max_interfaces = static_cast<int32_t>(Int(Child(net, "efaInfo"), "maximumEfaInterfaces").value_or(0));
    }
    const int64_t default_card = Int(net, "defaultNetworkCardIndex").value_or(0);
    i.max_enis_default_card = i.max_enis;
    double baseline_gbps = 0;
    for (const auto& card : Items(net, "networkCards")) {
      baseline_gbps += Double(card, "baselineBandwidthInGbps").value_or(0);
      if (Int(card, "networkCardIndex").value_or(0) == default_card) {
        i.max_enis_default_card = static_cast<int32_t>(Int(card, "maximumNetworkInterfaces").value_or(i.max_enis));
      }
    }
    if (baseline_gbps > 0) i.network_bandwidth_mbps = static_cast<int64_t>(baseline_gbps * 1000 + 0.5);
    i.hypervisor = Text(t, "hypervisor");
    i.bare_metal = Text(t, "bareMetal") == "true";
    i.in_latest_ec2_snapshot = true;
    out.push_back(std::move(i));
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<InstanceTypeOffering>> ParseDescribeInstanceTypeOfferings(const std::string& xml,
                                                                            std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeInstanceTypeOfferingsResponse");
  if (!root.ok()) return root.error();
  std::vector<InstanceTypeOffering> out;
  for (const auto& o : Items(*root, "instanceTypeOfferingSet")) {
    out.push_back({Text(o, "instanceType"), Text(o, "location")});
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<SpotPriceEntry>> ParseDescribeSpotPriceHistory(const std::string& xml, std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeSpotPriceHistoryResponse");
  if (!root.ok()) return root.error();
  std::vector<SpotPriceEntry> out;
  for (const auto& p : Items(*root, "spotPriceHistorySet")) {
    auto price = Double(p, "spotPrice");
    if (!price) return Error::Internal("DescribeSpotPriceHistory: spotPrice is not a number");
    out.push_back({{Text(p, "instanceType"), Text(p, "availabilityZone"), *price}, Text(p, "timestamp")});
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<CapacityReservation>> ParseDescribeCapacityReservations(const std::string& xml,
                                                                          std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeCapacityReservationsResponse");
  if (!root.ok()) return root.error();
  std::vector<CapacityReservation> out;
  for (const auto& c : Items(*root, "capacityReservationSet")) {
    out.push_back({Text(c, "capacityReservationId"), Text(c, "instanceType"), Text(c, "availabilityZone"),
                   static_cast<int32_t>(Int(c, "totalInstanceCount").value_or(0)),
                   static_cast<int32_t>(Int(c, "availableInstanceCount").value_or(0)), Text(c, "state")});
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<Subnet>> ParseDescribeSubnets(const std::string& xml, std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeSubnetsResponse");
  if (!root.ok()) return root.error();
  std::vector<Subnet> out;
  for (const auto& s : Items(*root, "subnetSet")) {
    out.push_back({Text(s, "subnetId"), Text(s, "availabilityZone"), Text(s, "availabilityZoneId"),
                   static_cast<int32_t>(Int(s, "availableIpAddressCount").value_or(0))});
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<SecurityGroup>> ParseDescribeSecurityGroups(const std::string& xml, std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeSecurityGroupsResponse");
  if (!root.ok()) return root.error();
  std::vector<SecurityGroup> out;
  for (const auto& g : Items(*root, "securityGroupInfo")) out.push_back({Text(g, "groupId"), Text(g, "groupName")});
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<Image>> ParseDescribeImages(const std::string& xml, std::string* next_token) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeImagesResponse");
  if (!root.ok()) return root.error();
  std::vector<Image> out;
  for (const auto& i : Items(*root, "imagesSet")) {
    out.push_back({Text(i, "imageId"), Text(i, "name"), Text(i, "creationDate"), Text(i, "architecture")});
  }
  *next_token = Text(*root, "nextToken");
  return out;
}

Result<std::vector<catalog::Zone>> ParseDescribeAvailabilityZones(const std::string& xml) {
  pugi::xml_document doc;
  auto root = Root(doc, xml, "DescribeAvailabilityZonesResponse");
  if (!root.ok()) return root.error();
  std::vector<catalog::Zone> out;
  for (const auto& z : Items(*root, "availabilityZoneInfo")) out.push_back({Text(z, "zoneName"), Text(z, "zoneId")});
  return out;
}

}  // namespace adze::adapters::aws::ec2
