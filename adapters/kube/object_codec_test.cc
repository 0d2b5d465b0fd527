#include "adapters/kube/object_codec.h"

#include <gtest/gtest.h>

#include "model/quantity.h"
#include "model/timestamp.h"

namespace adze::kube {
namespace {

using nlohmann::json;

model::Duration At(const char* text) { return *model::ParseTimestamp(text); }

ports::NodeClaimInfo FullClaim() {
  ports::NodeClaimInfo info;
  model::NodeClaim& c = info.claim;
  c.meta.name = "default-abc12";
  c.meta.uid = "u-1";
  c.meta.labels["team"] = "ml";
  c.meta.annotations["karpenter.sh/nodepool-hash"] = "123";
  c.meta.owner = model::OwnerReference{"NodePool", "default", true};
  c.taints.push_back({"nvidia.com/gpu", "true", model::TaintEffect::kNoSchedule});
  c.startup_taints.push_back({"node.cilium.io/agent-not-ready", "", model::TaintEffect::kNoExecute});
  c.requirements.Add(model::Requirement::In("node.kubernetes.io/instance-type", {"p5.48xlarge", "g6.xlarge"}));
  c.requirements.Add(model::Requirement::NotIn("karpenter.k8s.aws/instance-family", {"t3"}));
  c.requirements.Add(model::Requirement::Exists("karpenter.k8s.aws/instance-gpu-count"));
  c.requirements.Add(model::Requirement::DoesNotExist("example.com/legacy"));
  c.requirements.Add(model::Requirement("karpenter.k8s.aws/instance-cpu", model::Operator::kGt, {"3"}));
  c.requirements.Add(model::Requirement("karpenter.k8s.aws/instance-cpu", model::Operator::kLt, {"65"}));
  c.requirements.Add(model::Requirement("karpenter.sh/capacity-type", model::Operator::kIn, {"on-demand", "spot"}, 2));
  c.requests = model::ResourceList{{"cpu", *model::Quantity::Parse("3500m")},
                                   {"memory", *model::Quantity::Parse("20Gi")},
                                   {"nvidia.com/gpu", *model::Quantity::Parse("1")}};
  c.node_class_ref.name = "gpu";
  c.termination_grace_period = 2 * model::kHour;
  c.expire_after = 720 * model::kHour;
  c.node_name = "ip-10-0-1-2.ec2.internal";
  c.provider_id = "aws:///us-east-1a/i-0123";
  c.image_id = "ami-1";
  c.capacity = model::ResourceList{{"cpu", *model::Quantity::Parse("4")}, {"pods", *model::Quantity::Parse("58")}};
  c.allocatable = model::ResourceList{{"cpu", *model::Quantity::Parse("3920m")}};
  c.launched = c.registered = c.initialized = true;
  c.drifted = "NodePoolDrifted";
  info.node_pool = "default";
  info.created_at = At("2026-01-05T00:00:00Z");
  info.launched_at = At("2026-01-05T00:00:03Z");
  info.registered_at = At("2026-01-05T00:00:25Z");
  info.initialized_at = At("2026-01-05T00:00:31Z");
  info.deletion_requested_at = At("2026-01-05T01:00:00Z");
  info.deletion_reason = "interrupted";
  info.instance_type = "g6.xlarge";
  info.zone = "us-east-1a";
  info.capacity_type = "spot";
  info.price_per_hour = 0.8048;
  info.resource_version = 42;
  return info;
}

TEST(ObjectCodec, FormatsTimestampsAsTheApiServer) {
  EXPECT_EQ(FormatTimestamp(At("2026-01-05T00:00:00Z")), "2026-01-05T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(At("1999-12-31T23:59:59.9Z")), "1999-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimestamp(At("2024-02-29T12:34:56+02:00")), "2024-02-29T10:34:56Z");
}

TEST(ObjectCodec, NodeClaimRoundTripsEveryField) {
  ports::NodeClaimInfo in = FullClaim();
  json encoded = EncodeNodeClaim(in);
  EXPECT_EQ(encoded["apiVersion"], "karpenter.sh/v1");
  EXPECT_EQ(encoded["metadata"]["finalizers"], json::array({"karpenter.sh/termination"}));
  EXPECT_EQ(encoded["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(encoded["status"]["providerID"], "aws:///us-east-1a/i-0123");
  EXPECT_EQ(encoded["spec"]["resources"]["requests"]["memory"], "20Gi");
  EXPECT_EQ(encoded["spec"]["expireAfter"], "720h");

  // Through text, as it travels.
  auto out = DecodeNodeClaim(json::parse(encoded.dump()));
  ASSERT_TRUE(out.ok()) << out.error().message;
  const model::NodeClaim& c = out->claim;
  EXPECT_EQ(c.meta.name, in.claim.meta.name);
  EXPECT_EQ(c.meta.uid, "u-1");
  EXPECT_EQ(c.meta.labels.at("team"), "ml");
  EXPECT_EQ(c.meta.owner, in.claim.meta.owner);
  EXPECT_EQ(c.taints, in.claim.taints);
  EXPECT_EQ(c.startup_taints, in.claim.startup_taints);
  EXPECT_EQ(c.requirements, in.claim.requirements)
      << c.requirements.ToString() << " vs " << in.claim.requirements.ToString();
  EXPECT_EQ(c.requests.Get("memory"), in.claim.requests.Get("memory"));
  EXPECT_EQ(c.requests.Get("cpu").ToString(), "3500m");
  EXPECT_EQ(c.node_class_ref, in.claim.node_class_ref);
  EXPECT_EQ(c.termination_grace_period, in.claim.termination_grace_period);
  EXPECT_EQ(c.expire_after, in.claim.expire_after);
  EXPECT_EQ(c.node_name, in.claim.node_name);
  EXPECT_EQ(c.provider_id, in.claim.provider_id);
  EXPECT_EQ(c.image_id, "ami-1");
  EXPECT_EQ(c.capacity.Get("pods").ToString(), "58");
  EXPECT_EQ(c.allocatable.Get("cpu").ToString(), "3920m");
  EXPECT_TRUE(c.launched && c.registered && c.initialized);
  EXPECT_EQ(c.drifted, in.claim.drifted);
  EXPECT_EQ(out->node_pool, "default");
  EXPECT_EQ(out->created_at, in.created_at);
  EXPECT_EQ(out->launched_at, in.launched_at);
  EXPECT_EQ(out->registered_at, in.registered_at);
  EXPECT_EQ(out->initialized_at, in.initialized_at);
  EXPECT_EQ(out->deletion_requested_at, in.deletion_requested_at);
  EXPECT_EQ(out->deletion_reason, "interrupted");
  EXPECT_EQ(out->instance_type, "g6.xlarge");
  EXPECT_EQ(out->zone, "us-east-1a");
  EXPECT_EQ(out->capacity_type, "spot");
  EXPECT_DOUBLE_EQ(out->price_per_hour, 0.8048);
  EXPECT_EQ(out->resource_version, 42u);
  // And again: encoding is a fixed point.
  EXPECT_EQ(EncodeNodeClaim(*out), encoded);
}

TEST(ObjectCodec, FreshNodeClaimHasNoStatusConditions) {
  ports::NodeClaimInfo in;
  in.claim.meta.name = "c";
  in.claim.node_class_ref.name = "default";
  json encoded = EncodeNodeClaim(in);
  EXPECT_FALSE(encoded["status"].contains("conditions"));
  EXPECT_FALSE(encoded["metadata"].contains("resourceVersion"));
  EXPECT_FALSE(encoded["metadata"].contains("deletionTimestamp"));
  auto out = DecodeNodeClaim(encoded);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->claim.launched);
  EXPECT_FALSE(out->launched_at.has_value());
  EXPECT_FALSE(out->deletion_requested_at.has_value());
}

TEST(ObjectCodec, NodeClaimErrorsNameTheField) {
  json bad = EncodeNodeClaim(FullClaim());
  bad["spec"]["resources"]["requests"]["cpu"] = "lots";
  auto out = DecodeNodeClaim(bad);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("spec.resources.requests.cpu"), std::string::npos) << out.error().message;

  bad = EncodeNodeClaim(FullClaim());
  bad["spec"]["requirements"] = json::parse(R"([{"key":"a","operator":"Gt","values":["x"]}])");
  out = DecodeNodeClaim(bad);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("integer"), std::string::npos);

  bad = EncodeNodeClaim(FullClaim());
  bad["spec"]["taints"] = json::parse(R"([{"key":"a","effect":"Sometimes"}])");
  EXPECT_FALSE(DecodeNodeClaim(bad).ok());
  EXPECT_FALSE(DecodeNodeClaim(json::array()).ok());
}

TEST(ObjectCodec, NodeRoundTrips) {
  model::Node in;
  in.meta.name = "ip-10-0-1-2.ec2.internal";
  in.meta.labels["node.kubernetes.io/instance-type"] = "g6.xlarge";
  in.meta.creation_time = At("2026-01-05T00:00:25Z");
  in.taints.push_back({"karpenter.sh/disrupted", "", model::TaintEffect::kNoSchedule});
  in.capacity =
      model::ResourceList{{"cpu", *model::Quantity::Parse("4")}, {"nvidia.com/gpu", *model::Quantity::Parse("1")}};
  in.allocatable = model::ResourceList{{"cpu", *model::Quantity::Parse("3920m")}};
  in.provider_id = "aws:///us-east-1a/i-0123";
  in.unschedulable = true;
  in.ready = false;
  json encoded = EncodeNode(in);
  auto out = DecodeNode(json::parse(encoded.dump()));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->meta.name, in.meta.name);
  EXPECT_EQ(out->meta.labels, in.meta.labels);
  EXPECT_EQ(out->meta.creation_time, in.meta.creation_time);
  EXPECT_EQ(out->taints, in.taints);
  EXPECT_EQ(out->capacity.Get("nvidia.com/gpu").ToString(), "1");
  EXPECT_EQ(out->allocatable.Get("cpu").ToString(), "3920m");
  EXPECT_EQ(out->provider_id, in.provider_id);
  EXPECT_TRUE(out->unschedulable);
  EXPECT_FALSE(out->ready);
  EXPECT_EQ(EncodeNode(*out), encoded);
}

TEST(ObjectCodec, PodStatusMapsToPhases) {
  json pod = json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "train-0", "namespace": "ml", "resourceVersion": "7",
                 "creationTimestamp": "2026-01-05T00:00:00Z"},
    "spec": {"containers": [{"name": "c", "image": "img",
             "resources": {"requests": {"cpu": "2", "nvidia.com/gpu": 8}}}]},
    "status": {"phase": "Pending", "nominatedNodeName": "default-abc12",
               "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]}})");
  auto pending = DecodePodInfo(pod);
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(pending->phase, ports::PodPhase::kPending);
  EXPECT_TRUE(pending->unschedulable);
  EXPECT_EQ(pending->nominated_node_claim, "default-abc12");
  EXPECT_EQ(pending->pod.meta.namespace_, "ml");
  EXPECT_EQ(pending->pod.EffectiveRequests().Get("nvidia.com/gpu").ToString(), "8");
  EXPECT_EQ(pending->created_at, At("2026-01-05T00:00:00Z"));

  pod["spec"]["nodeName"] = "n1";
  pod["status"] = json::parse(R"({"phase": "Pending", "conditions": [
      {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-01-05T00:01:00Z"}]})");
  auto starting = DecodePodInfo(pod);
  ASSERT_TRUE(starting.ok());
  EXPECT_EQ(starting->phase, ports::PodPhase::kStarting);
  EXPECT_FALSE(starting->unschedulable);
  EXPECT_EQ(starting->bound_at, At("2026-01-05T00:01:00Z"));

  pod["status"]["phase"] = "Running";
  pod["status"]["conditions"].push_back(
      json{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", "2026-01-05T00:02:00Z"}});
  auto running = DecodePodInfo(pod);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->phase, ports::PodPhase::kRunning);
  EXPECT_EQ(running->running_at, At("2026-01-05T00:02:00Z"));

  pod["status"]["phase"] = "Succeeded";
  EXPECT_EQ(DecodePodInfo(pod)->phase, ports::PodPhase::kSucceeded);
  EXPECT_EQ(ResourceVersionOf(pod), 7u);
}

TEST(ObjectCodec, PodErrorsComeFromTheManifestDecoder) {
  json pod = json::parse(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
    "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "two"}}}]}})");
  auto out = DecodePodInfo(pod);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("cpu"), std::string::npos) << out.error().message;
}

TEST(ObjectCodec, ResourceVersionIsOpaqueUnlessDecimal) {
  EXPECT_EQ(ResourceVersionOf(json::parse(R"({"metadata":{"resourceVersion":"123"}})")), 123u);
  EXPECT_EQ(ResourceVersionOf(json::parse(R"({"metadata":{"resourceVersion":"a1"}})")), 0u);
  EXPECT_EQ(ResourceVersionOf(json::parse(R"({"metadata":{}})")), 0u);
}

}  // namespace
}  // namespace adze::kube
