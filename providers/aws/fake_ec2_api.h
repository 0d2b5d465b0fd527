// FakeEc2Api: an Ec2Api for tests (Karpenter's pkg/fake/ec2api.go). It
// answers the Describe calls from what the test put in its public fields,
// records every CreateFleet request, and answers CreateFleet from a script:
// scripted whole-call errors first (throttling, timeouts), else the first
// override (in request order) not listed in `insufficient`, with an
// InsufficientInstanceCapacity error for each listed override before it.
// A CreateFleet answer is held until `latency` after the call; DeliverDue()
// hands over the answers due at the clock's time, in call order.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ports/clock.h"
#include "providers/aws/ec2_api.h"

namespace adze::providers::aws {

class FakeEc2Api : public Ec2Api {
 public:
  // REQUIRES: clock outlives this object.
  explicit FakeEc2Api(const ports::Clock& clock) : clock_(clock) {}

  // ---- What the Describe calls answer (set by the test) ----
  std::vector<catalog::InstanceTypeInfo> instance_types;
  std::vector<InstanceTypeOffering> offerings;
  std::vector<SpotPrice> spot_prices;
  std::map<std::string, double> od_prices;
  std::vector<CapacityReservation> reservations;
  std::vector<Subnet> subnets;
  std::vector<SecurityGroup> security_groups;
  std::vector<Image> images;                      // for every DescribeImages call
  std::map<std::string, std::string> parameters;  // SSM name → value

  // ---- The CreateFleet script ----
  // (instance type, zone) pairs that fail with InsufficientInstanceCapacity.
  std::set<std::pair<std::string, std::string>> insufficient;
  // Whole-call errors for the next calls, in order (e.g. RequestLimitExceeded).
  std::deque<AwsError> next_create_fleet_errors;
  // How long a CreateFleet answer takes. Default 0 (still only on DeliverDue).
  model::Duration latency = 0;
  // Answers say when they were due (CreateFleetResponse::answered_at), as a
  // network adapter's do when its answers wait for the controllers' thread.
  bool stamp_answered_at = false;

  // Every CreateFleet request, in call order.
  const std::vector<CreateFleetRequest>& create_fleet_requests() const { return requests_; }
  // CreateFleet answers not yet delivered.
  size_t pending() const { return pending_.size(); }
  // Delivers the answers due at the clock's time; returns how many.
  size_t DeliverDue();
  // Every instance launched, by id (terminated ones stay, state terminated).
  std::map<std::string, Ec2Instance>& instances() { return instances_; }
  uint64_t describe_instance_types_calls() const { return describe_instance_types_calls_; }
  uint64_t describe_instances_calls() const { return describe_instances_calls_; }

  // Ec2Api.
  Outcome<CreateLaunchTemplateResponse> CreateLaunchTemplate(const CreateLaunchTemplateRequest& request) override;
  void CreateFleet(const CreateFleetRequest& request, CreateFleetDone done) override;
  Outcome<DescribeInstancesResponse> DescribeInstances(const DescribeInstancesRequest& request) const override;
  Outcome<TerminateInstancesResponse> TerminateInstances(const TerminateInstancesRequest& request) override;
  Outcome<std::monostate> CreateTags(const CreateTagsRequest& request) override;
  Outcome<DescribeInstanceTypesResponse> DescribeInstanceTypes() const override;
  Outcome<DescribeInstanceTypeOfferingsResponse> DescribeInstanceTypeOfferings() const override;
  Outcome<DescribeSpotPriceHistoryResponse> DescribeSpotPriceHistory() const override;
  Outcome<GetOnDemandPricesResponse> GetOnDemandPrices() const override;
  Outcome<DescribeCapacityReservationsResponse> DescribeCapacityReservations() const override;
  Outcome<DescribeSubnetsResponse> DescribeSubnets(const SelectorTerms& terms) const override;
  Outcome<DescribeSecurityGroupsResponse> DescribeSecurityGroups(const SelectorTerms& terms) const override;
  Outcome<DescribeImagesResponse> DescribeImages(const DescribeImagesRequest& request) const override;
  Outcome<GetParameterResponse> GetParameter(const std::string& name) const override;

 private:
  Outcome<CreateFleetResponse> Answer(const CreateFleetRequest& request);

  const ports::Clock& clock_;
  std::vector<CreateFleetRequest> requests_;
  struct Pending {
    model::Duration due = 0;
    CreateFleetRequest request;
    CreateFleetDone done;
  };
  std::deque<Pending> pending_;
  std::map<std::string, CreateLaunchTemplateRequest> launch_templates_;
  std::map<std::string, Ec2Instance> instances_;
  uint64_t next_instance_ = 1;
  mutable uint64_t describe_instance_types_calls_ = 0;
  mutable uint64_t describe_instances_calls_ = 0;
};

}  // namespace adze::providers::aws
