// The controllers over AwsCloudProvider over SimulatedEc2, with the EC2 API
// taking time: NodeClaimLifecycle's asynchronous launches (spec §5) and the
// interruption controller's SQS handling (spec §7).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "controllers/interruption.h"
#include "controllers/nodeclaim_lifecycle.h"
#include "model/labels.h"
#include "providers/aws/aws_cloud_provider.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/event_queue.h"
#include "sim/sim_clock.h"
#include "sim/simulated_cluster.h"

namespace adze::sim {
namespace {

namespace label = model::label;

model::EC2NodeClass NodeClass() {
  model::EC2NodeClass nc;
  nc.meta.name = "default";
  model::SelectorTerm ami;
  ami.alias = "al2023@latest";
  nc.ami_selector_terms.push_back(ami);
  return nc;
}

model::NodePool Pool() {
  model::NodePool p;
  p.meta.name = "general";
  p.node_class_ref.name = "default";
  return p;
}

class AsyncLaunchTest : public ::testing::Test {
 protected:
  void Make(Duration latency, Duration attempt_timeout = kMinute, int32_t pool_size = 200,
            bool spot_interruptions = false) {
    options_.create_fleet_latency = latency;
    options_.spot_interruptions = spot_interruptions;
    options_.default_pool_size = pool_size;
    catalog::CapacityOptions base;
    base.zones = {"us-east-1a"};
    ec2_ = std::make_unique<SimulatedEc2>(catalog::Catalog::Embedded(), options_, base, events_, 1);
    cloud_ = std::make_unique<providers::aws::AwsCloudProvider>(
        *ec2_, clock_, [this](std::function<void()> f) { events_.After(0, std::move(f)); },
        std::vector<model::EC2NodeClass>{NodeClass()}, base);
    cluster_ = std::make_unique<SimulatedCluster>(clock_, std::vector<model::NodePool>{Pool()},
                                                  std::vector<model::DaemonSet>{},
                                                  std::vector<model::PodDisruptionBudget>{});
    controllers::LifecycleOptions lo;
    lo.launch_attempt_timeout = attempt_timeout;
    lo.on_launch_completed = [this] { ++completions_; };
    lifecycle_ = std::make_unique<controllers::NodeClaimLifecycle>(*cluster_, *cloud_, clock_, lo);
  }
  std::string AddClaim(const std::string& name) {
    model::NodeClaim claim;
    claim.meta.name = name;
    claim.meta.labels = {{std::string(label::kNodePool), "general"}};
    claim.node_class_ref.name = "default";
    claim.requirements.Add(model::Requirement::In(std::string(label::kInstanceType), {"m5.large"}));
    claim.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), {"on-demand"}));
    return *cluster_->CreateNodeClaim(claim, "general");
  }
  void RunFor(Duration d) { events_.RunUntil(events_.Now() + d); }

  EventQueue events_;
  SimClock clock_{events_, 0};  // starting at 0: claim times read as the queue's
  Ec2Options options_;
  std::unique_ptr<SimulatedEc2> ec2_;
  std::unique_ptr<providers::aws::AwsCloudProvider> cloud_;
  std::unique_ptr<SimulatedCluster> cluster_;
  std::unique_ptr<controllers::NodeClaimLifecycle> lifecycle_;
  int completions_ = 0;
};

TEST_F(AsyncLaunchTest, OneLaunchPerClaimAppliedByTheNextReconcile) {
  Make(2 * kSecond);
  const std::string name = AddClaim("general-a");
  EXPECT_TRUE(lifecycle_->Reconcile().launched.empty());
  EXPECT_TRUE(lifecycle_->Reconcile().launched.empty());  // in flight: no second launch
  RunFor(kSecond);
  EXPECT_EQ(ec2_->counters().create_calls, 0u);  // EC2 has not answered yet
  RunFor(kSecond);
  EXPECT_EQ(completions_, 1);
  EXPECT_EQ(ec2_->counters().create_calls, 1u);
  EXPECT_FALSE(cluster_->GetNodeClaim(name)->launched_at.has_value());  // queued, not applied
  controllers::LifecycleResult r = lifecycle_->Reconcile();
  ASSERT_EQ(r.launched, std::vector<std::string>{name});
  const ports::NodeClaimInfo* claim = cluster_->GetNodeClaim(name);
  EXPECT_EQ(claim->instance_type, "m5.large");
  EXPECT_TRUE(claim->claim.launched);
  EXPECT_EQ(ec2_->counters().launches, 1u);
}

TEST_F(AsyncLaunchTest, AMissedDeadlineIsRetriedAndTheLateInstanceTerminated) {
  Make(30 * kSecond, 10 * kSecond);
  const std::string name = AddClaim("general-a");
  (void)lifecycle_->Reconcile();
  RunFor(30 * kSecond);
  controllers::LifecycleResult r = lifecycle_->Reconcile();  // applies kDeadlineExceeded, relaunches later
  EXPECT_TRUE(r.launched.empty());
  EXPECT_FALSE(cluster_->GetNodeClaim(name)->launched_at.has_value());
  EXPECT_EQ(ec2_->counters().launches, 1u);
  EXPECT_EQ(ec2_->counters().terminations, 1u);  // nobody waits for it: terminated
  RunFor(kSecond);
  (void)lifecycle_->Reconcile();  // the retry starts
  RunFor(30 * kSecond);
  EXPECT_TRUE(lifecycle_->Reconcile().launched.empty());  // the same latency misses again
  EXPECT_EQ(ec2_->counters().create_calls, 2u);
}

TEST_F(AsyncLaunchTest, InsufficientCapacityDeletesTheClaim) {
  Make(2 * kSecond, kMinute, 0);
  const std::string name = AddClaim("general-a");
  (void)lifecycle_->Reconcile();
  RunFor(kSecond);
  controllers::LifecycleResult r = lifecycle_->Reconcile();
  EXPECT_EQ(r.deleted_insufficient_capacity, std::vector<std::string>{name});
  EXPECT_EQ(cluster_->GetNodeClaim(name), nullptr);
}

TEST_F(AsyncLaunchTest, InterruptionMessagesAreDeletedOnceHandledOthersComeBack) {
  options_.spot_interruption_multiplier = 10000;
  Make(0, kMinute, 200, true);
  model::NodeClaim claim;
  claim.meta.name = "nc";
  claim.node_class_ref.name = "default";
  claim.requirements.Add(model::Requirement::In(std::string(label::kInstanceType), {"m5.large"}));
  claim.requirements.Add(model::Requirement::In(std::string(label::kCapacityType), {"spot"}));
  bool launched = false;
  cloud_->Create(claim, events_.Now() + kMinute, [&](Result<ports::Instance> r) { launched = r.ok(); });
  while (ec2_->queued_messages() == 0 && events_.RunNext()) {
  }
  ASSERT_TRUE(launched);
  // Received but not deleted: invisible for 30 s, then back with a new handle.
  auto first = ec2_->Receive(10, 0);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE(ec2_->Receive(10, 0)->empty());
  events_.RunUntil(events_.Now() + SimulatedEc2::kVisibilityTimeout - 1);
  auto again = ec2_->Receive(10, 0);
  for (const ports::InterruptionMessage& m : *again) {
    EXPECT_FALSE(m.kind == (*first)[0].kind && m.time == (*first)[0].time);
  }
  events_.RunUntil(events_.Now() + 1);
  again = ec2_->Receive(10, 0);
  ASSERT_FALSE(again->empty());
  EXPECT_EQ((*again)[0].kind, (*first)[0].kind);
  EXPECT_EQ((*again)[0].time, (*first)[0].time);
  EXPECT_NE((*again)[0].receipt_handle, (*first)[0].receipt_handle);
  EXPECT_FALSE(ec2_->Delete((*first)[0].receipt_handle).ok());  // an outdated handle
  // The controller deletes whatever it handled.
  controllers::Interruption interruption(*cluster_, *cloud_, *ec2_);
  events_.RunUntil(events_.Now() + SimulatedEc2::kVisibilityTimeout);
  controllers::InterruptionResult r = interruption.Reconcile();
  EXPECT_EQ(r.delete_errors, 0u);
  EXPECT_EQ(ec2_->queued_messages(), 0u);
}

}  // namespace
}  // namespace adze::sim
