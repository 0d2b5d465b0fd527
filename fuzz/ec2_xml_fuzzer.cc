// EC2 Query API responses (adapters/aws/ec2_codec.h): every parser adze runs
// on a body EC2 (or anything pretending to be EC2) sends back.
#include <string>

#include "adapters/aws/ec2_codec.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ec2 = adze::adapters::aws::ec2;
  const std::string xml(adze::fuzz::AsText(data, size));
  std::string next;
  (void)ec2::ParseCreateLaunchTemplate(xml);
  (void)ec2::ParseCreateFleet(xml);
  (void)ec2::ParseDescribeInstances(xml, &next);
  (void)ec2::ParseTerminateInstances(xml);
  (void)ec2::ParseDescribeInstanceTypes(xml, &next);
  (void)ec2::ParseDescribeSpotPriceHistory(xml, &next);
  (void)ec2::ParseDescribeSubnets(xml, &next);
  (void)ec2::ParseDescribeImages(xml, &next);
  (void)ec2::ParseDescribeAvailabilityZones(xml);
  return 0;
}
