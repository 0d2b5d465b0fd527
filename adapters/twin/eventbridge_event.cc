#include "adapters/twin/eventbridge_event.h"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

namespace adze::twin {

using Kind = ports::InterruptionMessage::Kind;
using nlohmann::json;

std::string Iso8601Seconds(int64_t wall_time) {
  const std::time_t t = static_cast<std::time_t>(wall_time / 1'000'000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string EncodeEventBridgeEvent(const ports::InterruptionMessage& m, int64_t wall_time, const std::string& region,
                                   const std::string& account, uint64_t event_number) {
  char id[40];
  std::snprintf(id, sizeof id, "adze-twin-%012llu", static_cast<unsigned long long>(event_number));
  const std::string arn = "arn:aws:ec2:" + region + ":" + account + ":instance/" + m.instance_id;
  json e{{"version", "0"},   {"id", id},         {"account", account},
         {"time", Iso8601Seconds(wall_time)}, {"region", region}, {"resources", json::array({arn})}};
  switch (m.kind) {
    case Kind::kSpotInterrupted:
      e["source"] = "aws.ec2";
      e["detail-type"] = "EC2 Spot Instance Interruption Warning";
      e["detail"] = {{"instance-id", m.instance_id}, {"instance-action", "terminate"}};
      break;
    case Kind::kRebalanceRecommendation:
      e["source"] = "aws.ec2";
      e["detail-type"] = "EC2 Instance Rebalance Recommendation";
      e["detail"] = {{"instance-id", m.instance_id}};
      break;
    case Kind::kInstanceStopped:
    case Kind::kInstanceTerminated:
      e["source"] = "aws.ec2";
      e["detail-type"] = "EC2 Instance State-change Notification";
      e["detail"] = {{"instance-id", m.instance_id},
                     {"state", m.kind == Kind::kInstanceStopped ? "stopped" : "terminated"}};
      break;
    case Kind::kScheduledChange:
      e["source"] = "aws.health";
      e["detail-type"] = "AWS Health Event";
      e["resources"] = json::array();
      e["detail"] = {{"service", "EC2"},
                     {"eventTypeCode", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED"},
                     {"eventTypeCategory", "scheduledChange"},
                     {"affectedEntities", json::array({json{{"entityValue", m.instance_id}}})}};
      break;
  }
  return e.dump();
}

}  // namespace adze::twin
