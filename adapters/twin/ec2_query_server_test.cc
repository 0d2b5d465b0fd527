// The twin's request decoders against the client's encoders
// (adapters/aws/ec2_codec), the SigV4 check against the client's signer, and
// the EventBridge encoder against the client's parser.
#include "adapters/twin/ec2_query_server.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "adapters/aws/ec2_codec.h"
#include "adapters/aws/eventbridge_message.h"
#include "adapters/aws/sigv4_signer.h"
#include "adapters/twin/eventbridge_event.h"
#include "adapters/twin/sigv4_verifier.h"

namespace adze::twin {
namespace {

namespace aws = adapters::aws;
namespace paws = providers::aws;

TEST(Ec2QueryDecode, CreateFleetRoundTripsThroughTheClientsEncoder) {
  paws::CreateFleetRequest r;
  r.launch_template_name = "karpenter.k8s.aws/123";
  r.default_target_capacity_type = "spot";
  r.allocation_strategy = "price-capacity-optimized";
  r.overrides = {{"p5.48xlarge", "subnet-1", "us-east-1a", "ami-1", 55.04, std::nullopt, ""},
                 {"p4d.24xlarge", "subnet-2", "us-east-1b", "ami-1", 21.96, 30.5, ""}};
  r.tags = {{"karpenter.sh/nodeclaim", "gpu-1"}, {"karpenter.sh/nodepool", "gpu"}};
  auto d = DecodeCreateFleet(aws::ec2::CreateFleet(r));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->launch_template_name, r.launch_template_name);
  EXPECT_EQ(d->default_target_capacity_type, "spot");
  EXPECT_EQ(d->allocation_strategy, "price-capacity-optimized");
  EXPECT_EQ(d->total_target_capacity, 1);
  EXPECT_EQ(d->overrides, r.overrides);
  EXPECT_EQ(d->tags, r.tags);

  r.default_target_capacity_type = "reserved-capacity";  // on-demand + use-capacity-reservations-first
  r.allocation_strategy = "lowest-price";
  auto reserved = DecodeCreateFleet(aws::ec2::CreateFleet(r));
  ASSERT_TRUE(reserved.ok());
  EXPECT_EQ(reserved->default_target_capacity_type, "reserved-capacity");
  EXPECT_EQ(reserved->allocation_strategy, "lowest-price");
}

TEST(Ec2QueryDecode, CreateFleetErrorsNameTheField) {
  auto no_overrides = DecodeCreateFleet({{"Type", "instant"},
                                         {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName", "t"},
                                         {"TargetCapacitySpecification.TotalTargetCapacity", "1"}});
  ASSERT_FALSE(no_overrides.ok());
  EXPECT_NE(no_overrides.error().message.find("Overrides"), std::string::npos);
  auto maintain = DecodeCreateFleet({{"Type", "maintain"}});
  ASSERT_FALSE(maintain.ok());
  EXPECT_NE(maintain.error().message.find("instant"), std::string::npos);
}

TEST(Ec2QueryDecode, LaunchTemplateAndSelectorTermsRoundTrip) {
  paws::CreateLaunchTemplateRequest lt{"karpenter.k8s.aws/9", "ami-9", {"sg-1", "sg-2"}, "", {{"a", "b"}}, {}};
  auto d = DecodeCreateLaunchTemplate(aws::ec2::CreateLaunchTemplate(lt, {}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->launch_template_name, lt.launch_template_name);
  EXPECT_EQ(d->image_id, "ami-9");
  EXPECT_EQ(d->security_group_ids, lt.security_group_ids);
  EXPECT_EQ(d->tags, lt.tags);

  rc::check("a selector term survives the client's encoding", [](const std::string& id, const std::string& name,
                                                                  const std::map<std::string, std::string>& tags) {
    model::SelectorTerm t;
    t.id = id;
    t.name = name;
    for (const auto& [k, v] : tags) {
      if (!k.empty() && !v.empty()) t.tags[k] = v;
    }
    const model::SelectorTerm back =
        DecodeSelectorTerm(aws::ec2::SelectorTerm(t, "GroupId", "group-name"), "GroupId", "group-name");
    RC_ASSERT(back.id == t.id);
    RC_ASSERT(back.name == t.name);
    RC_ASSERT(back.tags == t.tags);
  });
  paws::DescribeInstancesRequest di{{"i-1", "i-2"}, {"karpenter.sh/nodeclaim"}};
  const paws::DescribeInstancesRequest back = DecodeDescribeInstances(aws::ec2::DescribeInstances(di));
  EXPECT_EQ(back.instance_ids, di.instance_ids);
  EXPECT_EQ(back.tag_keys, di.tag_keys);
}

TEST(SigV4Verifier, AcceptsWhatTheClientSignsAndRejectsTampering) {
  aws::Credentials creds{"adze-twin", "adze-twin-secret", "", std::nullopt, "test"};
  const int64_t now = 1'780'000'000;
  aws::HttpRequest r;
  r.method = "POST";
  r.endpoint = "http://127.0.0.1:4566";
  r.path = "/";
  r.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}};
  r.body = R"({"QueueUrl":"q"})";
  aws::SignRequest(r, creds, aws::SigningParams{"us-east-1", "sqs", now, false});
  r.headers.emplace_back("Host", "127.0.0.1:4566");  // as the server sees it
  SigV4Check ok = VerifySigV4(r, creds, now + 60);
  EXPECT_TRUE(ok.ok()) << ok.message;
  EXPECT_EQ(ok.service, "sqs");
  EXPECT_EQ(ok.region, "us-east-1");

  aws::HttpRequest tampered = r;
  tampered.body = R"({"QueueUrl":"other"})";
  EXPECT_EQ(VerifySigV4(tampered, creds, now).failure, SigV4Failure::kMismatch);
  aws::Credentials other = creds;
  other.secret_access_key = "wrong";
  EXPECT_EQ(VerifySigV4(r, other, now).failure, SigV4Failure::kMismatch);
  other = creds;
  other.access_key_id = "someone-else";
  EXPECT_EQ(VerifySigV4(r, other, now).failure, SigV4Failure::kUnknownKey);
  EXPECT_EQ(VerifySigV4(r, creds, now + 16 * 60).failure, SigV4Failure::kExpired);
  aws::HttpRequest unsigned_request = r;
  unsigned_request.RemoveHeader("Authorization");
  EXPECT_EQ(VerifySigV4(unsigned_request, creds, now).failure, SigV4Failure::kMissing);
}

TEST(EventBridgeEvent, EveryKindParsesBackAsItself) {
  using Kind = ports::InterruptionMessage::Kind;
  for (Kind k : {Kind::kSpotInterrupted, Kind::kRebalanceRecommendation, Kind::kScheduledChange,
                 Kind::kInstanceStopped, Kind::kInstanceTerminated}) {
    const int64_t wall = 1'780'000'123LL * 1'000'000;
    const std::string body =
        EncodeEventBridgeEvent(ports::InterruptionMessage{k, "i-0abc", 0, ""}, wall, "us-east-1", "000000000000", 1);
    auto parsed = aws::ParseEventBridgeMessage(body);
    ASSERT_TRUE(parsed.ok()) << body;
    ASSERT_EQ(parsed->size(), 1u) << body;
    EXPECT_EQ(parsed->front().kind, k);
    EXPECT_EQ(parsed->front().instance_id, "i-0abc");
    EXPECT_EQ(parsed->front().time, 1'780'000'123LL * model::kSecond);
  }
}

}  // namespace
}  // namespace adze::twin
