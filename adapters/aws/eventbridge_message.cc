#include "adapters/aws/eventbridge_message.h"

#include <nlohmann/json.hpp>

#include "adapters/aws/credential_providers.h"

namespace adze::adapters::aws {
namespace {

using Kind = ports::InterruptionMessage::Kind;

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<std::vector<ports::InterruptionMessage>> ParseEventBridgeMessage(const std::string& body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return Error::InvalidArgument("message body is not a JSON object");
  const std::string source = Str(j, "source");
  const std::string type = Str(j, "detail-type");
  if (source.empty() || type.empty()) return Error::InvalidArgument("not an EventBridge event (no source/detail-type)");
  const auto detail_it = j.find("detail");
  if (detail_it == j.end() || !detail_it->is_object()) {
    return Error::InvalidArgument("event " + type + " has no detail object");
  }
  const nlohmann::json& detail = *detail_it;
  const auto when = ParseIso8601(Str(j, "time"));
  if (!when) return Error::InvalidArgument("event " + type + ": time is not RFC 3339");
  const model::Duration time = *when * model::kSecond;

  std::vector<ports::InterruptionMessage> out;
  auto add = [&](Kind kind, const std::string& instance) -> Status {
    if (instance.empty()) return Error::InvalidArgument("event " + type + " names no instance");
    out.push_back(ports::InterruptionMessage{kind, instance, time, ""});
    return OkStatus();
  };
  Status s = OkStatus();
  if (source == "aws.ec2" && type == "EC2 Spot Instance Interruption Warning") {
    s = add(Kind::kSpotInterrupted, Str(detail, "instance-id"));
  } else if (source == "aws.ec2" && type == "EC2 Instance Rebalance Recommendation") {
    s = add(Kind::kRebalanceRecommendation, Str(detail, "instance-id"));
  } else if (source == "aws.ec2" && type == "EC2 Capacity Reservation Instance Interruption Warning") {
    s = add(Kind::kScheduledChange, Str(detail, "instance-id"));
  } else if (source == "aws.ec2" && type == "EC2 Instance State-change Notification") {
    const std::string state = Str(detail, "state");
    if (state == "stopping" || state == "stopped") s = add(Kind::kInstanceStopped, Str(detail, "instance-id"));
    if (state == "shutting-down" || state == "terminated") {
      s = add(Kind::kInstanceTerminated, Str(detail, "instance-id"));
    }
  } else if (source == "aws.health" && type == "AWS Health Event") {
    if (Str(detail, "service") == "EC2" && Str(detail, "eventTypeCategory") == "scheduledChange") {
      const auto entities = detail.find("affectedEntities");
      if (entities == detail.end() || !entities->is_array()) {
        return Error::InvalidArgument("health event has no affectedEntities");
      }
      for (const auto& e : *entities) {
        if (!e.is_object()) continue;
        s = add(Kind::kScheduledChange, Str(e, "entityValue"));
        if (!s.ok()) break;
      }
    }
  }
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace adze::adapters::aws
