// The EC2 Query protocol for the Ec2Api calls (API version 2016-11-15): each
// request as form fields (lists flattened as Name.1, Name.2, ...; structures
// as Name.Member), each XML response into the Ec2Api structs. Elements are
// read by local name (xml_reader.h), so any XML namespace is accepted.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "catalog/instance_type_info.h"
#include "model/result.h"
#include "providers/aws/ec2_api.h"

namespace adze::adapters::aws::ec2 {

inline constexpr char kVersion[] = "2016-11-15";
using Fields = std::vector<std::pair<std::string, std::string>>;

// What Karpenter puts in every launch template besides the request's fields
// (pkg/providers/launchtemplate): IMDSv2 only, hop limit 1 (pods cannot reach
// the node's role), and the root volume.
struct LaunchTemplateDefaults {
  std::string http_tokens = "required";
  int http_put_response_hop_limit = 1;
  std::string root_device_name = "/dev/xvda";
  int root_volume_gib = 20;
  std::string root_volume_type = "gp3";
  std::string root_snapshot_id;  // the snapshot that pre-seeds images; empty: the AMI's own
};

Fields CreateLaunchTemplate(const providers::aws::CreateLaunchTemplateRequest& r, const LaunchTemplateDefaults& d);
Fields CreateFleet(const providers::aws::CreateFleetRequest& r);
Fields DescribeInstances(const providers::aws::DescribeInstancesRequest& r);
Fields TerminateInstances(const providers::aws::TerminateInstancesRequest& r);
Fields CreateTags(const providers::aws::CreateTagsRequest& r);
// One Describe request per selector term (AWS ANDs filters within a call, and
// Karpenter ORs the terms): id → <idField>.1, tags → tag:<k> (value "*" →
// tag-key), name → `name_filter`, owner → Owner.1.
Fields SelectorTerm(const model::SelectorTerm& t, const std::string& id_field, const std::string& name_filter);

// Responses. kInternal when the XML is not the expected document.
Result<providers::aws::CreateLaunchTemplateResponse> ParseCreateLaunchTemplate(const std::string& xml);
Result<providers::aws::CreateFleetResponse> ParseCreateFleet(const std::string& xml);
// One page; *next_token is set to the page's nextToken (empty at the end).
Result<std::vector<providers::aws::Ec2Instance>> ParseDescribeInstances(const std::string& xml, std::string* next_token);
Result<providers::aws::TerminateInstancesResponse> ParseTerminateInstances(const std::string& xml);
Result<std::vector<catalog::InstanceTypeInfo>> ParseDescribeInstanceTypes(const std::string& xml, std::string* next_token);
Result<std::vector<providers::aws::InstanceTypeOffering>> ParseDescribeInstanceTypeOfferings(const std::string& xml,
                                                                                           std::string* next_token);
// Every entry of the page (the caller keeps the latest per type and zone).
struct SpotPriceEntry {
  providers::aws::SpotPrice price;
  std::string timestamp;  // ISO 8601, compares as text
};
Result<std::vector<SpotPriceEntry>> ParseDescribeSpotPriceHistory(const std::string& xml, std::string* next_token);
Result<std::vector<providers::aws::CapacityReservation>> ParseDescribeCapacityReservations(const std::string& xml,
                                                                                         std::string* next_token);
Result<std::vector<providers::aws::Subnet>> ParseDescribeSubnets(const std::string& xml, std::string* next_token);
Result<std::vector<providers::aws::SecurityGroup>> ParseDescribeSecurityGroups(const std::string& xml,
                                                                             std::string* next_token);
Result<std::vector<providers::aws::Image>> ParseDescribeImages(const std::string& xml, std::string* next_token);
// DescribeAvailabilityZones: zone name → zone id.
Result<std::vector<catalog::Zone>> ParseDescribeAvailabilityZones(const std::string& xml);

// Karpenter's name normalisation for GPU and accelerator names: lower case,
// spaces to "-" (A10G → a10g, "Radeon Pro V520" → radeon-pro-v520).
std::string NormalizeName(std::string_view name);

}  // namespace adze::adapters::aws::ec2
