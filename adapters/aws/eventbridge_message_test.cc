// Interruption-queue bodies in the formats EventBridge delivers (examples of
// the EC2 user guide and AWS Health docs), and bodies that must not crash.
#include "adapters/aws/eventbridge_message.h"

#include <gtest/gtest.h>

namespace adze::adapters::aws {
namespace {

using Kind = ports::InterruptionMessage::Kind;

std::string Event(const std::string& source, const std::string& type, const std::string& detail) {
  return R"({"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":")" + type +
         R"(","source":")" + source +
         R"(","account":"123456789012","time":"2026-12-03T21:00:00Z","region":"us-east-1",)"
         R"("resources":["arn:aws:ec2:us-east-1a:instance/i-1234567890abcdef0"],"detail":)" +
         detail + "}";
}

TEST(EventBridgeMessageTest, SpotInterruptionWarning) {
  auto r = ParseEventBridgeMessage(Event("aws.ec2", "EC2 Spot Instance Interruption Warning",
                                         R"({"instance-id":"i-1234567890abcdef0","instance-action":"terminate"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].kind, Kind::kSpotInterrupted);
  EXPECT_EQ((*r)[0].instance_id, "i-1234567890abcdef0");
  EXPECT_EQ((*r)[0].time, int64_t{1796331600} * model::kSecond);  // 2026-12-03T21:00:00Z
}

TEST(EventBridgeMessageTest, RebalanceStateChangesAndCapacityReservation) {
  auto kind = [](const std::string& type, const std::string& detail) {
    auto r = ParseEventBridgeMessage(Event("aws.ec2", type, detail));
    EXPECT_TRUE(r.ok());
    return r.ok() && r->size() == 1 ? std::optional<Kind>((*r)[0].kind) : std::nullopt;
  };
  EXPECT_EQ(kind("EC2 Instance Rebalance Recommendation", R"({"instance-id":"i-1"})"), Kind::kRebalanceRecommendation);
  EXPECT_EQ(kind("EC2 Instance State-change Notification", R"({"instance-id":"i-1","state":"stopping"})"),
            Kind::kInstanceStopped);
  EXPECT_EQ(kind("EC2 Instance State-change Notification", R"({"instance-id":"i-1","state":"terminated"})"),
            Kind::kInstanceTerminated);
  EXPECT_EQ(kind("EC2 Instance State-change Notification", R"({"instance-id":"i-1","state":"running"})"),
            std::nullopt);  // ignored, not an error
  EXPECT_EQ(kind("EC2 Capacity Reservation Instance Interruption Warning", R"({"instance-id":"i-1"})"),
            Kind::kScheduledChange);
}

TEST(EventBridgeMessageTest, HealthScheduledChangeNamesEveryAffectedInstance) {
  auto r = ParseEventBridgeMessage(Event(
      "aws.health", "AWS Health Event",
      R"({"eventArn":"arn:aws:health:us-east-1::event/EC2/EC2_INSTANCE_RETIREMENT_SCHEDULED/x","service":"EC2",)"
      R"("eventTypeCode":"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED","eventTypeCategory":"scheduledChange",)"
      R"("affectedEntities":[{"entityValue":"i-aaa"},{"entityValue":"i-bbb"}]})"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].instance_id, "i-bbb");
  EXPECT_EQ((*r)[1].kind, Kind::kScheduledChange);
  // Other services' health events are not Karpenter's.
  auto rds = ParseEventBridgeMessage(Event("aws.health", "AWS Health Event",
                                           R"({"service":"RDS","eventTypeCategory":"scheduledChange"})"));
  ASSERT_TRUE(rds.ok());
  EXPECT_TRUE(rds->empty());
}

TEST(EventBridgeMessageTest, MalformedBodiesAreErrorsNotCrashes) {
  for (const std::string& body : std::vector<std::string>{"", "not json", "[]", "{}", R"({"source":"aws.ec2"})", R"({"source":1,"detail-type":[]})",
        Event("aws.ec2", "EC2 Spot Instance Interruption Warning", "\"detail is a string\""),
        Event("aws.ec2", "EC2 Spot Instance Interruption Warning", R"({"instance-id":42})"),
        Event("aws.health", "AWS Health Event", R"({"service":"EC2","eventTypeCategory":"scheduledChange"})"),
        R"({"source":"aws.ec2","detail-type":"EC2 Spot Instance Interruption Warning","time":"yesterday",)"
        R"("detail":{"instance-id":"i-1"}})"}) {
    EXPECT_FALSE(ParseEventBridgeMessage(body).ok()) << body;
  }
}

}  // namespace
}  // namespace adze::adapters::aws
