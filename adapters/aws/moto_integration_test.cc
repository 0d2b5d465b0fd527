// Integration against moto_server (moto 5.2): the adapter's requests are
// signed with a moto IAM user's key and checked by moto (signature and the
// user's policy, testdata/iam-policy.json). moto_server starts once for the
// binary and is reset before every test. Skips, saying why, if moto_server
// is missing.
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/aws/credential_providers.h"
#include "adapters/aws/http_ec2_api.h"
#include "adapters/aws/moto_server_test_util.h"
#include "adapters/aws/sqs_interruption_queue.h"
#include "adapters/aws/xml_reader.h"
#include "providers/aws/errors.h"

namespace adze::adapters::aws {
namespace {

using namespace providers::aws;
using testing::MotoServer;
using testing::StaticCredentialsProvider;

MotoServer* moto = nullptr;

class MotoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { moto = new MotoServer(); }
  void TearDown() override {
    delete moto;
    moto = nullptr;
  }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new MotoEnvironment);

class MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!moto->ok()) GTEST_SKIP() << "moto integration skipped: " << moto->why();
    std::string error;
    ASSERT_TRUE(moto->Reset(&error)) << error;
    admin_creds_ = std::make_unique<StaticCredentialsProvider>(moto->admin());
    adze_creds_ = std::make_unique<StaticCredentialsProvider>(moto->adze());
    auto env = MakeRealEnvironment();
    env.sleep = [](model::Duration) {};
    admin_ = std::make_unique<AwsServiceClient>(Endpoint("ec2"), *admin_creds_, http_, retry_, env);
    ec2_ = std::make_unique<AwsServiceClient>(Endpoint("ec2"), *adze_creds_, http_, retry_, env);
    ssm_ = std::make_unique<AwsServiceClient>(Endpoint("ssm"), *adze_creds_, http_, retry_, env);
    pricing_ = std::make_unique<AwsServiceClient>(Endpoint("pricing"), *adze_creds_, http_, retry_, env);
    HttpEc2ApiOptions o;
    o.pricing_region = "us-east-1";
    api_ = std::make_unique<HttpEc2Api>(*ec2_, *ssm_, *pricing_, completions_.Poster(), o);
  }
  ServiceEndpoint Endpoint(const std::string& service) { return {moto->url(), "us-east-1", service}; }

  // An admin EC2 call for fixtures; returns the body.
  std::string Admin(const std::string& action, const ec2::Fields& fields) {
    auto r = admin_->Query(action, ec2::kVersion, fields, 30 * model::kSecond);
    EXPECT_TRUE(r.IsSuccess()) << action << ": " << (r.IsSuccess() ? "" : r.GetError().code + " " + r.GetError().message);
    return r.IsSuccess() ? r.GetResult().body : "";
  }
  std::string AdminId(const std::string& action, const ec2::Fields& fields, std::initializer_list<std::string_view> path) {
    pugi::xml_document doc;
    auto root = ParseXml(doc, Admin(action, fields));
    return root.ok() ? Path(*root, path).text().get() : "";
  }

  CurlHttpClient http_;
  RetryStrategy retry_;
  CompletionQueue completions_;
  std::unique_ptr<StaticCredentialsProvider> admin_creds_, adze_creds_;
  std::unique_ptr<AwsServiceClient> admin_, ec2_, ssm_, pricing_;
  std::unique_ptr<HttpEc2Api> api_;
};

TEST_F(MotoTest, SubnetAndSecurityGroupDiscoveryBySelectorTerms) {
  const std::string vpc = AdminId("CreateVpc", {{"CidrBlock", "10.0.0.0/16"}}, {"vpc", "vpcId"});
  ASSERT_FALSE(vpc.empty());
  auto subnet = [&](const std::string& cidr, const std::string& az) {
    return AdminId("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", cidr}, {"AvailabilityZone", az}},
                   {"subnet", "subnetId"});
  };
  const std::string a = subnet("10.0.1.0/24", "us-east-1a");
  const std::string b = subnet("10.0.2.0/24", "us-east-1b");
  const std::string other = subnet("10.0.3.0/24", "us-east-1c");
  Admin("CreateTags", {{"ResourceId.1", a}, {"ResourceId.2", b}, {"Tag.1.Key", "karpenter.sh/discovery"},
                       {"Tag.1.Value", "adze-test"}});
  const std::string sg = AdminId("CreateSecurityGroup",
                                 {{"GroupName", "nodes"}, {"GroupDescription", "adze nodes"}, {"VpcId", vpc}},
                                 {"groupId"});
  Admin("CreateTags", {{"ResourceId.1", sg}, {"Tag.1.Key", "karpenter.sh/discovery"}, {"Tag.1.Value", "adze-test"}});

  model::SelectorTerm by_tag;
  by_tag.tags = {{"karpenter.sh/discovery", "adze-test"}};
  auto subnets = api_->DescribeSubnets({by_tag});
  ASSERT_TRUE(subnets.IsSuccess()) << subnets.GetError().code << " " << subnets.GetError().message;
  ASSERT_EQ(subnets.GetResult().subnets.size(), 2u);
  std::set<std::string> ids;
  for (const auto& s : subnets.GetResult().subnets) {
    ids.insert(s.subnet_id);
    EXPECT_GT(s.available_ip_address_count, 200);
    EXPECT_FALSE(s.availability_zone_id.empty());
  }
  EXPECT_EQ(ids, (std::set<std::string>{a, b}));

  // Terms are ORed: a tag term plus an id term gives all three.
  model::SelectorTerm by_id;
  by_id.id = other;
  EXPECT_EQ(api_->DescribeSubnets({by_tag, by_id}).GetResult().subnets.size(), 3u);
  // "*" matches any value of the tag.
  model::SelectorTerm any;
  any.tags = {{"karpenter.sh/discovery", "*"}};
  EXPECT_EQ(api_->DescribeSubnets({any}).GetResult().subnets.size(), 2u);

  auto groups = api_->DescribeSecurityGroups({by_tag});
  ASSERT_TRUE(groups.IsSuccess());
  ASSERT_EQ(groups.GetResult().security_groups.size(), 1u);
  EXPECT_EQ(groups.GetResult().security_groups[0].group_id, sg);
  model::SelectorTerm by_name;
  by_name.name = "nodes";
  ASSERT_EQ(api_->DescribeSecurityGroups({by_name}).GetResult().security_groups.size(), 1u);
}

TEST_F(MotoTest, DescribeInstanceTypesCarriesGpuInfoAndZones) {
  auto r = api_->DescribeInstanceTypes();
  ASSERT_TRUE(r.IsSuccess()) << r.GetError().code << " " << r.GetError().message;
  const catalog::InstanceTypeInfo* p5 = nullptr;
  const catalog::InstanceTypeInfo* inf2 = nullptr;
  for (const auto& t : r.GetResult().instance_types) {
    if (t.instance_type == "p5.48xlarge") p5 = &t;
    if (t.instance_type == "inf2.48xlarge") inf2 = &t;
  }
  ASSERT_NE(p5, nullptr);
  EXPECT_EQ(p5->gpu_count, 8);
  EXPECT_EQ(p5->gpu_name, "h100");
  EXPECT_EQ(p5->gpu_manufacturer, "nvidia");
  EXPECT_EQ(p5->gpu_memory_mib, 81920);
  EXPECT_EQ(p5->vcpu, 192);
  EXPECT_EQ(p5->arch, "amd64");
  EXPECT_EQ(p5->family, "p5");
  EXPECT_EQ(p5->category, "p");
  EXPECT_EQ(p5->generation, 5);
  EXPECT_EQ(p5->max_enis_default_card, 2);
  EXPECT_EQ(p5->max_enis, 64);
  EXPECT_EQ(p5->efa_max_interfaces, 32);
  ASSERT_FALSE(p5->zones.empty());
  EXPECT_TRUE(p5->zones[0].zone.starts_with("us-east-1"));
  EXPECT_FALSE(p5->zones[0].zone_id.empty());
  ASSERT_NE(inf2, nullptr);
  EXPECT_EQ(inf2->accelerator_name, "inferentia2");
  EXPECT_EQ(inf2->accelerator_count, 12);
  EXPECT_EQ(inf2->neuron_core_count, 24);
}

TEST_F(MotoTest, LaunchTemplateFleetDescribeTagTerminate) {
  const std::string vpc = AdminId("CreateVpc", {{"CidrBlock", "10.1.0.0/16"}}, {"vpc", "vpcId"});
  const std::string subnet = AdminId(
      "CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "10.1.1.0/24"}, {"AvailabilityZone", "us-east-1a"}},
      {"subnet", "subnetId"});
  // AMI through SSM public parameters (moto serves the Amazon Linux ones).
  auto ami = api_->GetParameter("/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2");
  ASSERT_TRUE(ami.IsSuccess()) << ami.GetError().code << " " << ami.GetError().message;
  ASSERT_TRUE(ami.GetResult().value.starts_with("ami-"));
  auto missing = api_->GetParameter("/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/nvidia/recommended/image_id");
  ASSERT_FALSE(missing.IsSuccess());
  EXPECT_TRUE(ToError(missing.GetError()).Is(ErrorCode::kNotFound)) << missing.GetError().code;

  const Tags tags = {{"karpenter.sh/nodepool", "gpu"},
                     {"eks:eks-cluster-name", "adze-test"},
                     {"kubernetes.io/cluster/adze-test", "owned"}};
  auto lt = api_->CreateLaunchTemplate({"adze/gpu/abc123", ami.GetResult().value, {}, "#!/bin/bash\necho hi\n", tags, {}});
  ASSERT_TRUE(lt.IsSuccess()) << lt.GetError().code << " " << lt.GetError().message;
  EXPECT_TRUE(lt.GetResult().launch_template_id.starts_with("lt-"));

  CreateFleetRequest fleet;
  fleet.launch_template_name = "adze/gpu/abc123";
  fleet.overrides = {{"g5.xlarge", subnet, "us-east-1a", "", 1.006, std::nullopt, ""},
                     {"g6.xlarge", subnet, "us-east-1a", "", 0.805, std::nullopt, ""}};
  fleet.default_target_capacity_type = "spot";
  fleet.allocation_strategy = "price-capacity-optimized";
  fleet.tags = tags;
  std::optional<Outcome<CreateFleetResponse>> answer;
  std::thread::id ran_on;
  api_->CreateFleet(fleet, [&](Outcome<CreateFleetResponse> r) {
    ran_on = std::this_thread::get_id();
    answer.emplace(std::move(r));
  });
  EXPECT_FALSE(answer.has_value());  // never from inside CreateFleet
  while (!answer) completions_.WaitAndRunPending(30 * model::kSecond);
  EXPECT_EQ(ran_on, std::this_thread::get_id());  // on the thread that drains the queue
  ASSERT_TRUE(answer->IsSuccess()) << answer->GetError().code << " " << answer->GetError().message;
  const CreateFleetResponse& f = answer->GetResult();
  ASSERT_EQ(f.instances.size(), 1u);
  ASSERT_EQ(f.instances[0].instance_ids.size(), 1u);
  const std::string id = f.instances[0].instance_ids[0];

  auto described = api_->DescribeInstances({{}, {"karpenter.sh/nodepool"}});
  ASSERT_TRUE(described.IsSuccess()) << described.GetError().code;
  ASSERT_EQ(described.GetResult().instances.size(), 1u);
  const Ec2Instance& i = described.GetResult().instances[0];
  EXPECT_EQ(i.instance_id, id);
  EXPECT_EQ(i.tags.at("karpenter.sh/nodepool"), "gpu");
  EXPECT_EQ(i.tags.at("kubernetes.io/cluster/adze-test"), "owned");
  EXPECT_EQ(i.subnet_id, subnet);
  EXPECT_EQ(i.image_id, ami.GetResult().value);

  ASSERT_TRUE(api_->CreateTags({{id}, {{"karpenter.sh/nodeclaim", "gpu-x7k2p"}}}).IsSuccess());
  auto by_id = api_->DescribeInstances({{id}, {}});
  ASSERT_TRUE(by_id.IsSuccess());
  EXPECT_EQ(by_id.GetResult().instances.at(0).tags.at("karpenter.sh/nodeclaim"), "gpu-x7k2p");
  EXPECT_TRUE(api_->DescribeInstances({{}, {"karpenter.sh/nodeclaim", "no-such-key"}}).GetResult().instances.empty());

  auto term = api_->TerminateInstances({{id}});
  ASSERT_TRUE(term.IsSuccess());
  EXPECT_EQ(term.GetResult().terminating_instance_ids, std::vector<std::string>{id});
  const std::string state = api_->DescribeInstances({{id}, {}}).GetResult().instances.at(0).state;
  EXPECT_TRUE(state == "shutting-down" || state == "terminated") << state;
}

TEST_F(MotoTest, SignaturesAreVerifiedAndThePolicyIsEnforced) {
  StaticCredentialsProvider wrong(Credentials{moto->adze().access_key_id, "not-the-secret", "", std::nullopt, "t"});
  AwsServiceClient bad(Endpoint("ec2"), wrong, http_, retry_, MakeRealEnvironment());
  auto r = bad.Query("DescribeRegions", ec2::kVersion, {}, 10 * model::kSecond);
  ASSERT_FALSE(r.IsSuccess());
  EXPECT_TRUE(ToError(r.GetError()).Is(ErrorCode::kPermissionDenied)) << r.GetError().code;
  // The adze policy does not allow RunInstances' sibling CreateVpc.
  auto denied = ec2_->Query("CreateVpc", ec2::kVersion, {{"CidrBlock", "10.9.0.0/16"}}, 10 * model::kSecond);
  ASSERT_FALSE(denied.IsSuccess());
  const Error e = ToError(denied.GetError());
  EXPECT_TRUE(e.Is(ErrorCode::kPermissionDenied)) << denied.GetError().code;
  EXPECT_NE(e.message.find("ec2:CreateVpc"), std::string::npos) << e.message;
}

TEST_F(MotoTest, StsGetCallerIdentityAndWebIdentity) {
  AwsServiceClient sts(Endpoint("sts"), *adze_creds_, http_, retry_, MakeRealEnvironment());
  auto who = sts.Query("GetCallerIdentity", "2011-06-15", {}, 10 * model::kSecond);
  ASSERT_TRUE(who.IsSuccess()) << who.GetError().code;
  pugi::xml_document doc;
  auto root = ParseXml(doc, who.GetResult().body);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(std::string(Path(*root, {"GetCallerIdentityResult", "Arn"}).text().get()),
            "arn:aws:iam::123456789012:user/adze");

  // moto answers an unsigned AssumeRoleWithWebIdentity with HTTP 500 while
  // it verifies signatures (AWS does not sign it); lift verification for it.
  httplib::Client(moto->url()).Post("/moto-api/reset-auth", "1000000", "text/plain");
  char tmpl[] = "/tmp/adze-irsa-XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  const std::string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.sig";
  ASSERT_EQ(write(fd, token.data(), token.size()), static_cast<ssize_t>(token.size()));
  close(fd);
  WebIdentityCredentials irsa(MapEnv({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/KarpenterController"},
                                      {"AWS_WEB_IDENTITY_TOKEN_FILE", tmpl}}),
                              http_, moto->url());
  auto c = irsa.Get();
  unlink(tmpl);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->access_key_id.empty());
  EXPECT_FALSE(c->session_token.empty());
  EXPECT_TRUE(c->expiration.has_value());
}

TEST_F(MotoTest, SqsLongPollParseDeleteOfAnInterruptionSentThroughEventBridge) {
  auto env = MakeRealEnvironment();
  AwsServiceClient admin_sqs(Endpoint("sqs"), *admin_creds_, http_, retry_, env);
  AwsServiceClient admin_events(Endpoint("events"), *admin_creds_, http_, retry_, env);
  auto json = [](const AwsServiceClient& c, const char* prefix, const char* action, const nlohmann::json& body,
                 const char* version) {
    auto r = c.Json(prefix, action, version, body.dump(), 10 * model::kSecond);
    EXPECT_TRUE(r.IsSuccess()) << action << ": " << (r.IsSuccess() ? "" : r.GetError().code + " " + r.GetError().message);
    return r.IsSuccess() ? nlohmann::json::parse(r.GetResult().body, nullptr, false) : nlohmann::json();
  };
  const auto created = json(admin_sqs, "AmazonSQS", "CreateQueue", {{"QueueName", "adze-interruption"}}, "1.0");
  const std::string url = created.value("QueueUrl", "");
  ASSERT_FALSE(url.empty());
  // The rule Karpenter's CloudFormation template installs, pointed at the queue.
  json(admin_events, "AWSEvents", "PutRule",
       {{"Name", "adze-spot-interruption"},
        {"EventPattern", R"({"source":["aws.ec2"],"detail-type":["EC2 Spot Instance Interruption Warning"]})"}},
       "1.1");
  json(admin_events, "AWSEvents", "PutTargets",
       {{"Rule", "adze-spot-interruption"},
        {"Targets", {{{"Id", "queue"}, {"Arn", "arn:aws:sqs:us-east-1:123456789012:adze-interruption"}}}}},
       "1.1");
  json(admin_events, "AWSEvents", "PutEvents",
       {{"Entries",
         {{{"Source", "aws.ec2"},
           {"DetailType", "EC2 Spot Instance Interruption Warning"},
           {"Resources", {"arn:aws:ec2:us-east-1a:instance/i-0abcdef1234567890"}},
           {"Detail", R"({"instance-id":"i-0abcdef1234567890","instance-action":"terminate"})"}}}}},
       "1.1");
  // And one body that is not an event at all.
  json(admin_sqs, "AmazonSQS", "SendMessage", {{"QueueUrl", url}, {"MessageBody", "{not json"}}, "1.0");

  AwsServiceClient sqs(Endpoint("sqs"), *adze_creds_, http_, retry_, env);
  std::vector<std::string> logs;
  auto queue = SqsInterruptionQueue::Open(sqs, "adze-interruption", [&](std::string_view l) { logs.emplace_back(l); });
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  std::vector<ports::InterruptionMessage> got;
  for (int i = 0; i < 5 && got.empty(); ++i) {
    auto r = (*queue)->Receive(10, 1 * model::kSecond);
    ASSERT_TRUE(r.ok()) << r.error().message;
    got = *r;
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, ports::InterruptionMessage::Kind::kSpotInterrupted);
  EXPECT_EQ(got[0].instance_id, "i-0abcdef1234567890");
  EXPECT_GT(got[0].time, 0);
  ASSERT_TRUE((*queue)->Delete(got[0].receipt_handle).ok());
  // The malformed one was logged and deleted by Receive; nothing is left,
  // visible or in flight.
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs[0].find("malformed"), std::string::npos) << logs[0];
  const auto attrs = json(admin_sqs, "AmazonSQS", "GetQueueAttributes",
                          {{"QueueUrl", url},
                           {"AttributeNames", {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}}},
                          "1.0");
  EXPECT_EQ(attrs["Attributes"].value("ApproximateNumberOfMessages", "?"), "0");
  EXPECT_EQ(attrs["Attributes"].value("ApproximateNumberOfMessagesNotVisible", "?"), "0");
  EXPECT_TRUE((*queue)->Receive(10, 0)->empty());
  auto missing = SqsInterruptionQueue::Open(sqs, "no-such-queue", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().Is(ErrorCode::kNotFound)) << missing.error().message;
}

}  // namespace
}  // namespace adze::adapters::aws
