// Ec2Api: the narrow slice of the AWS APIs the AWS cloud provider calls (EC2,
// SSM, Pricing), shaped like the real calls so that an HTTP adapter can
// implement it one-to-one (Karpenter's pkg/aws/sdk.go). Request and response
// fields carry the AWS field names in comments. The simulator implements it
// (sim/ec2), tests fake it (providers/aws/fake_ec2_api.h), and adapters/aws
// will send it over the network. The provider never knows which.
//
// Errors are AWS error codes (AwsError::code, e.g. "RequestLimitExceeded",
// "InsufficientInstanceCapacity"); providers/aws/errors.h maps them onto
// adze's ErrorCodes. CreateFleet reports per-override failures inside its
// response (CreateFleetResponse::errors), like EC2 Fleet type "instant".
//
// Timing: CreateFleet is asynchronous — it takes time (EC2 answers an instant
// fleet after the instances are requested); its callback runs later, never
// from inside CreateFleet, on the thread that runs the controllers. Every
// other call answers at once.
// Thread-safety: implementations say; the provider calls from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "catalog/instance_type_info.h"
#include "model/check.h"
#include "model/duration.h"
#include "model/ec2nodeclass.h"

namespace adze::providers::aws {

// An AWS error: <Code> and <Message> of the error response.
struct AwsError {
  std::string code;  // InsufficientInstanceCapacity, RequestLimitExceeded, ...
  std::string message;
};

// An answer or an AwsError (the AWS SDK's Outcome<Result, Error>).
template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T result) : v_(std::move(result)) {}       // NOLINT: implicit by design
  Outcome(AwsError error) : v_(std::move(error)) {}  // NOLINT
  bool IsSuccess() const { return v_.index() == 0; }
  // REQUIRES: IsSuccess().
  const T& GetResult() const& {
    ADZE_CHECK(IsSuccess());
    return std::get<0>(v_);
  }
  T&& GetResult() && {
    ADZE_CHECK(IsSuccess());
    return std::get<0>(std::move(v_));
  }
  // REQUIRES: !IsSuccess().
  const AwsError& GetError() const {
    ADZE_CHECK(!IsSuccess());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, AwsError> v_;
};

// ---- Tags --------------------------------------------------------------------
using Tags = std::map<std::string, std::string>;  // Tag{Key, Value}

// ---- CreateLaunchTemplate ----------------------------------------------------
struct CreateLaunchTemplateRequest {
  std::string launch_template_name;              // LaunchTemplateName
  std::string image_id;                          // LaunchTemplateData.ImageId
  std::vector<std::string> security_group_ids;   // LaunchTemplateData.SecurityGroupIds
  std::string user_data;                         // LaunchTemplateData.UserData
  Tags tags;                                     // TagSpecifications (launch-template)
  // LaunchTemplateData.BlockDeviceMappings: the EC2NodeClass's
  // blockDeviceMappings as written (a snapshotId there is the volume that
  // pre-seeds container images); empty: the adapter's default root volume.
  std::vector<model::BlockDeviceMapping> block_device_mappings;
};
struct CreateLaunchTemplateResponse {
  std::string launch_template_id;  // LaunchTemplate.LaunchTemplateId
};

// ---- CreateFleet (Type=instant) ------------------------------------------------
struct FleetOverride {
  std::string instance_type;      // InstanceType
  std::string subnet_id;          // SubnetId
  std::string availability_zone;  // AvailabilityZone
  std::string image_id;           // ImageId
  double priority = 0;            // Priority (Karpenter: the price)
  std::optional<double> max_price;  // MaxPrice
  // Reserved launches: the capacity reservation (CapacityReservationSpecification
  // .CapacityReservationTarget.CapacityReservationId of the launch template).
  std::string capacity_reservation_id;
  friend bool operator==(const FleetOverride&, const FleetOverride&) = default;
};
struct CreateFleetRequest {
  // LaunchTemplateConfigs[0].LaunchTemplateSpecification.LaunchTemplateName ($Latest).
  std::string launch_template_name;
  std::vector<FleetOverride> overrides;  // LaunchTemplateConfigs[0].Overrides
  // TargetCapacitySpecification.DefaultTargetCapacityType:
  // spot | on-demand | reserved-capacity (Karpenter sends on-demand for default ODCRs).
  std::string default_target_capacity_type;
  int32_t total_target_capacity = 1;  // TargetCapacitySpecification.TotalTargetCapacity
  // SpotOptions.AllocationStrategy / OnDemandOptions.AllocationStrategy:
  // price-capacity-optimized | lowest-price | capacity-optimized-prioritized | prioritized.
  std::string allocation_strategy;
  Tags tags;  // TagSpecifications (instance, volume, fleet)
  // Not an AWS field: when the caller gives up (the adapter's request timeout).
  model::Duration deadline = 0;
};
struct FleetInstance {
  std::vector<std::string> instance_ids;  // Instances[].InstanceIds
  FleetOverride launched_with;            // Instances[].LaunchTemplateAndOverrides.Overrides
  std::string lifecycle;                  // Instances[].Lifecycle: spot | on-demand
};
struct FleetError {
  FleetOverride override;  // Errors[].LaunchTemplateAndOverrides.Overrides
  std::string error_code;  // Errors[].ErrorCode
  std::string error_message;
};
struct CreateFleetResponse {
  std::string fleet_id;                 // FleetId
  std::vector<FleetInstance> instances;  // Instances
  std::vector<FleetError> errors;        // Errors
  // Not an AWS field: when the answer arrived, in the controllers' clock, if
  // the callback may run later than that (a network adapter's answers wait
  // for the controllers' thread); 0: when the callback runs.
  model::Duration answered_at = 0;
};
// Called exactly once, later, on the thread that runs the controllers. An
// AwsError is a failure of the whole call (throttling, a deadline, ...).
using CreateFleetDone = std::function<void(Outcome<CreateFleetResponse>)>;

// ---- DescribeInstances / TerminateInstances / CreateTags -------------------------
struct Ec2Instance {
  std::string instance_id;         // InstanceId
  std::string instance_type;       // InstanceType
  std::string availability_zone;   // Placement.AvailabilityZone
  std::string subnet_id;           // SubnetId
  std::string image_id;            // ImageId
  std::vector<std::string> security_group_ids;  // SecurityGroups[].GroupId
  std::string instance_lifecycle;  // InstanceLifecycle: spot | "" (on-demand)
  std::string capacity_reservation_id;  // CapacityReservationId
  std::string state;               // State.Name: pending | running | shutting-down | terminated
  model::Duration launch_time = 0;  // LaunchTime
  Tags tags;                       // Tags
};
struct DescribeInstancesRequest {
  std::vector<std::string> instance_ids;  // InstanceIds
  // Filters: tag-key=<key> (all must be present); empty = no tag filter.
  std::vector<std::string> tag_keys;
};
struct DescribeInstancesResponse {
  std::vector<Ec2Instance> instances;  // Reservations[].Instances[], by instance id
};
struct TerminateInstancesRequest {
  std::vector<std::string> instance_ids;  // InstanceIds
};
struct TerminateInstancesResponse {
  std::vector<std::string> terminating_instance_ids;  // TerminatingInstances[].InstanceId
};
struct CreateTagsRequest {
  std::vector<std::string> resources;  // Resources
  Tags tags;                           // Tags
};

// ---- DescribeInstanceTypes / Offerings / Spot prices / Pricing -------------------
struct DescribeInstanceTypesResponse {
  // InstanceTypes[]. The simulator (and this interface) carry the catalog's
  // row per type (catalog/instance_type_info.h), which is what Karpenter
  // derives from InstanceTypeInfo. The provider takes the candidate zones
  // from the row and narrows them (and sets the prices) with the offering
  // and price calls below; a real adapter must fill the row's zones from
  // DescribeInstanceTypeOfferings.
  std::vector<catalog::InstanceTypeInfo> instance_types;
};
struct InstanceTypeOffering {
  std::string instance_type;  // InstanceType
  std::string location;       // Location (LocationType=availability-zone)
};
struct DescribeInstanceTypeOfferingsResponse {
  std::vector<InstanceTypeOffering> offerings;  // InstanceTypeOfferings[]
};
struct SpotPrice {
  std::string instance_type;      // InstanceType
  std::string availability_zone;  // AvailabilityZone
  double spot_price = 0;          // SpotPrice (USD/h), the latest
};
struct DescribeSpotPriceHistoryResponse {
  std::vector<SpotPrice> prices;  // SpotPriceHistory[] (latest per type and zone)
};
// Pricing GetProducts (AmazonEC2, Linux, shared tenancy), reduced to the price.
struct GetOnDemandPricesResponse {
  std::map<std::string, double> usd_per_hour;  // by instance type
};

// ---- Capacity reservations ------------------------------------------------------
struct CapacityReservation {
  std::string capacity_reservation_id;  // CapacityReservationId
  std::string instance_type;            // InstanceType
  std::string availability_zone;        // AvailabilityZone
  int32_t total_instance_count = 0;     // TotalInstanceCount
  int32_t available_instance_count = 0;  // AvailableInstanceCount
  std::string state;                    // State: active | expiring | ...
};
struct DescribeCapacityReservationsResponse {
  std::vector<CapacityReservation> capacity_reservations;  // by id
};

// ---- Subnets, security groups, images, SSM ----------------------------------------
// One selector term (EC2NodeClass *SelectorTerms) as the Filters / Ids of a
// Describe call: id → <X>Ids, tags → tag:<key> filters, name → Name, owner → Owners.
using SelectorTerms = std::vector<model::SelectorTerm>;
struct Subnet {
  std::string subnet_id;                 // SubnetId
  std::string availability_zone;         // AvailabilityZone
  std::string availability_zone_id;      // AvailabilityZoneId
  int32_t available_ip_address_count = 0;  // AvailableIpAddressCount
};
struct DescribeSubnetsResponse {
  std::vector<Subnet> subnets;
};
struct SecurityGroup {
  std::string group_id;    // GroupId
  std::string group_name;  // GroupName
};
struct DescribeSecurityGroupsResponse {
  std::vector<SecurityGroup> security_groups;
};
struct Image {
  std::string image_id;       // ImageId
  std::string name;           // Name
  std::string creation_date;  // CreationDate (ISO 8601; newest wins)
  std::string architecture;   // Architecture
};
struct DescribeImagesRequest {
  SelectorTerms terms;  // ImageIds / Filters / Owners, one request per term in AWS
};
struct DescribeImagesResponse {
  std::vector<Image> images;
};
struct GetParameterResponse {
  std::string value;  // Parameter.Value (an AMI id for the EKS-optimised AMI parameters)
};

class Ec2Api {
 public:
  virtual ~Ec2Api() = default;

  virtual Outcome<CreateLaunchTemplateResponse> CreateLaunchTemplate(const CreateLaunchTemplateRequest& request) = 0;
  // Asynchronous; see the header comment. `done` is called exactly once.
  virtual void CreateFleet(const CreateFleetRequest& request, CreateFleetDone done) = 0;
  virtual Outcome<DescribeInstancesResponse> DescribeInstances(const DescribeInstancesRequest& request) const = 0;
  virtual Outcome<TerminateInstancesResponse> TerminateInstances(const TerminateInstancesRequest& request) = 0;
  virtual Outcome<std::monostate> CreateTags(const CreateTagsRequest& request) = 0;

  virtual Outcome<DescribeInstanceTypesResponse> DescribeInstanceTypes() const = 0;
  virtual Outcome<DescribeInstanceTypeOfferingsResponse> DescribeInstanceTypeOfferings() const = 0;
  virtual Outcome<DescribeSpotPriceHistoryResponse> DescribeSpotPriceHistory() const = 0;
  virtual Outcome<GetOnDemandPricesResponse> GetOnDemandPrices() const = 0;  // Pricing GetProducts
  virtual Outcome<DescribeCapacityReservationsResponse> DescribeCapacityReservations() const = 0;

  virtual Outcome<DescribeSubnetsResponse> DescribeSubnets(const SelectorTerms& terms) const = 0;
  virtual Outcome<DescribeSecurityGroupsResponse> DescribeSecurityGroups(const SelectorTerms& terms) const = 0;
  virtual Outcome<DescribeImagesResponse> DescribeImages(const DescribeImagesRequest& request) const = 0;
  // SSM GetParameter (Name): the AMI id an EKS alias resolves to.
  virtual Outcome<GetParameterResponse> GetParameter(const std::string& name) const = 0;
};

}  // namespace adze::providers::aws
