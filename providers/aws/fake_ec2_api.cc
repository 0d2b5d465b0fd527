#include "providers/aws/fake_ec2_api.h"

#include <cinttypes>
#include <cstdio>

namespace adze::providers::aws {

size_t FakeEc2Api::DeliverDue() {
  size_t n = 0;
  // Answers may start new calls; deliver only what was due when we started.
  std::deque<Pending> due;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->due <= clock_.Now()) {
      due.push_back(std::move(*it));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (Pending& p : due) {
    Outcome<CreateFleetResponse> answer = Answer(p.request);
    if (stamp_answered_at && answer.IsSuccess()) {
      CreateFleetResponse r = std::move(answer).GetResult();
      r.answered_at = p.due;
      answer = std::move(r);
    }
    p.done(std::move(answer));
    ++n;
  }
  return n;
}

Outcome<CreateFleetResponse> FakeEc2Api::Answer(const CreateFleetRequest& request) {
  if (!next_create_fleet_errors.empty()) {
    AwsError e = next_create_fleet_errors.front();
    next_create_fleet_errors.pop_front();
    return e;
  }
  CreateFleetResponse r;
  r.fleet_id = "fleet-fake";
  for (const FleetOverride& ov : request.overrides) {
    if (insufficient.contains({ov.instance_type, ov.availability_zone})) {
      r.errors.push_back(FleetError{ov, "InsufficientInstanceCapacity", "no capacity (scripted)"});
      continue;
    }
    char id[32];
    std::snprintf(id, sizeof id, "i-%017" PRIx64, next_instance_++);
    Ec2Instance i;
    i.instance_id = id;
    i.instance_type = ov.instance_type;
    i.availability_zone = ov.availability_zone;
    i.subnet_id = ov.subnet_id;
    i.image_id = ov.image_id;
    if (auto lt = launch_templates_.find(request.launch_template_name); lt != launch_templates_.end()) {
      i.security_group_ids = lt->second.security_group_ids;
    }
    i.instance_lifecycle = request.default_target_capacity_type == "spot" ? "spot" : "";
    i.capacity_reservation_id = ov.capacity_reservation_id;
    i.state = "running";
    i.launch_time = clock_.Now();
    i.tags = request.tags;
    instances_[id] = i;
    r.instances.push_back(FleetInstance{{id}, ov, request.default_target_capacity_type});
    return r;
  }
  return r;
}

Outcome<CreateLaunchTemplateResponse> FakeEc2Api::CreateLaunchTemplate(const CreateLaunchTemplateRequest& request) {
  launch_templates_[request.launch_template_name] = request;
  return CreateLaunchTemplateResponse{"lt-fake"};
}

void FakeEc2Api::CreateFleet(const CreateFleetRequest& request, CreateFleetDone done) {
  requests_.push_back(request);
  pending_.push_back(Pending{clock_.Now() + latency, request, std::move(done)});
}

Outcome<DescribeInstancesResponse> FakeEc2Api::DescribeInstances(const DescribeInstancesRequest& request) const {
  ++describe_instances_calls_;
  DescribeInstancesResponse r;
  for (const auto& [id, i] : instances_) {
    bool match = request.instance_ids.empty() ||
                 std::find(request.instance_ids.begin(), request.instance_ids.end(), id) != request.instance_ids.end();
    for (const std::string& k : request.tag_keys) match = match && i.tags.contains(k);
    if (match) r.instances.push_back(i);
  }
  return r;
}

Outcome<TerminateInstancesResponse> FakeEc2Api::TerminateInstances(const TerminateInstancesRequest& request) {
  TerminateInstancesResponse r;
  for (const std::string& id : request.instance_ids) {
    auto it = instances_.find(id);
    if (it == instances_.end()) return AwsError{"InvalidInstanceID.NotFound", id};
    it->second.state = "terminated";
    r.terminating_instance_ids.push_back(id);
  }
  return r;
}

Outcome<std::monostate> FakeEc2Api::CreateTags(const CreateTagsRequest& request) {
  for (const std::string& id : request.resources) {
    auto it = instances_.find(id);
    if (it == instances_.end()) return AwsError{"InvalidInstanceID.NotFound", id};
    for (const auto& [k, v] : request.tags) it->second.tags[k] = v;
  }
  return std::monostate{};
}

Outcome<DescribeInstanceTypesResponse> FakeEc2Api::DescribeInstanceTypes() const {
  ++describe_instance_types_calls_;
  return DescribeInstanceTypesResponse{instance_types};
}
Outcome<DescribeInstanceTypeOfferingsResponse> FakeEc2Api::DescribeInstanceTypeOfferings() const {
  return DescribeInstanceTypeOfferingsResponse{offerings};
}
Outcome<DescribeSpotPriceHistoryResponse> FakeEc2Api::DescribeSpotPriceHistory() const {
  return DescribeSpotPriceHistoryResponse{spot_prices};
}
Outcome<GetOnDemandPricesResponse> FakeEc2Api::GetOnDemandPrices() const { return GetOnDemandPricesResponse{od_prices}; }
Outcome<DescribeCapacityReservationsResponse> FakeEc2Api::DescribeCapacityReservations() const {
  return DescribeCapacityReservationsResponse{reservations};
}
Outcome<DescribeSubnetsResponse> FakeEc2Api::DescribeSubnets(const SelectorTerms&) const {
  return DescribeSubnetsResponse{subnets};
}
Outcome<DescribeSecurityGroupsResponse> FakeEc2Api::DescribeSecurityGroups(const SelectorTerms&) const {
  return DescribeSecurityGroupsResponse{security_groups};
}
Outcome<DescribeImagesResponse> FakeEc2Api::DescribeImages(const DescribeImagesRequest&) const {
  return DescribeImagesResponse{images};
}
Outcome<GetParameterResponse> FakeEc2Api::GetParameter(const std::string& name) const {
  auto it = parameters.find(name);
  if (it == parameters.end()) return AwsError{"ParameterNotFound", name};
  return GetParameterResponse{it->second};
}

}  // namespace adze::providers::aws
