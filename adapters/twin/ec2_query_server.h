// Ec2QueryServer: the EC2 Query API (version 2016-11-15) over the twin's EC2
// — the server side of adapters/aws/ec2_codec: each request's form fields
// decoded into the providers::aws::Ec2Api request (lists as Name.1, Name.2,
// ...; structures as Name.Member), run against TwinEc2, and the answer
// encoded as the XML EC2 sends (xmlns http://ec2.amazonaws.com/doc/
// 2016-11-15/, lists as <xSet><item>, a requestId). Describe calls page with
// MaxResults/NextToken. Errors use EC2's shape:
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>.
//
// Served actions: CreateLaunchTemplate, CreateFleet (Type=instant),
// DescribeInstances, TerminateInstances, CreateTags, DescribeInstanceTypes,
// DescribeInstanceTypeOfferings, DescribeAvailabilityZones,
// DescribeSpotPriceHistory, DescribeCapacityReservations, DescribeSubnets,
// DescribeSecurityGroups, DescribeImages.
// Thread-safety: thread-safe (TwinEc2 is); Handle may block in CreateFleet.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/twin/twin_ec2.h"
#include "model/result.h"
#include "providers/aws/ec2_api.h"

namespace adze::twin {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct QueryAnswer {
  int status = 200;
  std::string body;
  std::string error_code;  // set on errors (for the endpoint's counters)
};

// The request decoders, exposed for tests. Errors: kInvalidArgument naming
// the missing or malformed field.
Result<providers::aws::CreateLaunchTemplateRequest> DecodeCreateLaunchTemplate(const FormFields& f);
Result<providers::aws::CreateFleetRequest> DecodeCreateFleet(const FormFields& f);
providers::aws::DescribeInstancesRequest DecodeDescribeInstances(const FormFields& f);
model::SelectorTerm DecodeSelectorTerm(const FormFields& f, const std::string& id_field,
                                       const std::string& name_filter);

// EC2's error document.
std::string Ec2ErrorXml(const std::string& code, const std::string& message, const std::string& request_id);
// HTTP status EC2 answers an error code with (RequestLimitExceeded 503, ...).
int Ec2ErrorStatus(const std::string& code);

class Ec2QueryServer {
 public:
  // REQUIRES: ec2 outlives this object.
  Ec2QueryServer(TwinEc2& ec2, std::function<int64_t()> wall_now);

  static bool Serves(const std::string& action);
  // Answers one call; an action it does not serve is InvalidAction.
  // CreateFleet waits up to create_fleet_timeout for the twin's EC2.
  QueryAnswer Handle(const std::string& action, const FormFields& form, const std::string& request_id,
                     std::chrono::milliseconds create_fleet_timeout);

 private:
  TwinEc2& ec2_;
  std::function<int64_t()> wall_now_;
};

}  // namespace adze::twin
