// HttpEc2Api: providers::aws::Ec2Api over the network — EC2 (Query
// protocol), SSM (GetParameter) and the Price List API (GetProducts) — so
// AwsCloudProvider runs unchanged against real AWS or any fake of it.
//
// Every Describe call follows NextToken to the last page. Selector terms are
// one request each, their answers unioned by id (Karpenter ORs the terms).
// DescribeInstanceTypes fills each type's zones from
// DescribeInstanceTypeOfferings and DescribeAvailabilityZones.
//
// CreateFleet: the call runs on a worker thread (WorkerPool); its callback is
// handed to `post` (e.g. CompletionQueue::Poster()), which must run it on the
// controllers' thread — ec2_api.h's contract. The request's deadline is in
// the controllers' clock (`controller_now`); the HTTP call gives up then, and
// a request still queued for a worker at its deadline is not sent.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "adapters/aws/aws_service_client.h"
#include "adapters/aws/completion_queue.h"
#include "adapters/aws/ec2_codec.h"
#include "adapters/aws/worker_pool.h"
#include "providers/aws/ec2_api.h"

namespace adze::adapters::aws {

struct HttpEc2ApiOptions {
  model::Duration call_timeout = 30 * model::kSecond;   // every synchronous call, retries included
  model::Duration fleet_timeout = 60 * model::kSecond;  // CreateFleet without a deadline
  std::function<model::Duration()> controller_now;      // the clock CreateFleetRequest::deadline is in
  std::string pricing_region;                           // regionCode filter of GetProducts
  ec2::LaunchTemplateDefaults launch_template;
  // CreateFleet calls in flight at once. EC2 answers one in 1–3 s, so a
  // burst of thousands of claims needs many (Karpenter launches each claim
  // from its own reconcile); the twin's EC2 endpoint serves 64 calls at once.
  int fleet_workers = 32;
};

class HttpEc2Api : public providers::aws::Ec2Api {
 public:
  // REQUIRES: the clients outlive this object; `post` stays valid until the
  // destructor returns (it waits for CreateFleet calls in flight).
  HttpEc2Api(const AwsServiceClient& ec2, const AwsServiceClient& ssm, const AwsServiceClient& pricing, PostFn post,
             HttpEc2ApiOptions options);
  ~HttpEc2Api() override;

  providers::aws::Outcome<providers::aws::CreateLaunchTemplateResponse> CreateLaunchTemplate(
      const providers::aws::CreateLaunchTemplateRequest& request) override;
  void CreateFleet(const providers::aws::CreateFleetRequest& request, providers::aws::CreateFleetDone done) override;
  // Synchronous CreateFleet (what the worker runs), for tools and tests.
  providers::aws::Outcome<providers::aws::CreateFleetResponse> CreateFleetNow(
      const providers::aws::CreateFleetRequest& request, model::Duration timeout) const;
  providers::aws::Outcome<providers::aws::DescribeInstancesResponse> DescribeInstances(
      const providers::aws::DescribeInstancesRequest& request) const override;
  providers::aws::Outcome<providers::aws::TerminateInstancesResponse> TerminateInstances(
      const providers::aws::TerminateInstancesRequest& request) override;
  providers::aws::Outcome<std::monostate> CreateTags(const providers::aws::CreateTagsRequest& request) override;

  providers::aws::Outcome<providers::aws::DescribeInstanceTypesResponse> DescribeInstanceTypes() const override;
  providers::aws::Outcome<providers::aws::DescribeInstanceTypeOfferingsResponse> DescribeInstanceTypeOfferings()
      const override;
  providers::aws::Outcome<providers::aws::DescribeSpotPriceHistoryResponse> DescribeSpotPriceHistory() const override;
  providers::aws::Outcome<providers::aws::GetOnDemandPricesResponse> GetOnDemandPrices() const override;
  providers::aws::Outcome<providers::aws::DescribeCapacityReservationsResponse> DescribeCapacityReservations()
      const override;

  providers::aws::Outcome<providers::aws::DescribeSubnetsResponse> DescribeSubnets(
      const providers::aws::SelectorTerms& terms) const override;
  providers::aws::Outcome<providers::aws::DescribeSecurityGroupsResponse> DescribeSecurityGroups(
      const providers::aws::SelectorTerms& terms) const override;
  providers::aws::Outcome<providers::aws::DescribeImagesResponse> DescribeImages(
      const providers::aws::DescribeImagesRequest& request) const override;
  providers::aws::Outcome<providers::aws::GetParameterResponse> GetParameter(const std::string& name) const override;

 private:
  // Calls `action` page by page; parse(body, &next) returns one page's items.
  template <typename T, typename Parse>
  providers::aws::Outcome<std::vector<T>> Paginate(const std::string& action, ec2::Fields fields,
                                                   int max_results, Parse parse) const;

  const AwsServiceClient& ec2_;
  const AwsServiceClient& ssm_;
  const AwsServiceClient& pricing_;
  PostFn post_;
  HttpEc2ApiOptions options_;
  std::unique_ptr<WorkerPool> workers_;  // last member: joined first
};

}  // namespace adze::adapters::aws
