#include "adapters/aws/sqs_interruption_queue.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "adapters/aws/eventbridge_message.h"
#include "providers/aws/errors.h"

namespace adze::adapters::aws {
namespace {

constexpr model::Duration kCallTimeout = 10 * model::kSecond;
constexpr int kVisibilityTimeoutSeconds = 20;  // spec §7

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Error ToPortError(const providers::aws::AwsError& e) {
  if (e.code == "ReceiptHandleIsInvalid" || e.code == "AWS.SimpleQueueService.NonExistentQueue" ||
      e.code == "QueueDoesNotExist") {
    return Error::NotFound(e.code + ": " + e.message);
  }
  return providers::aws::ToError(e);
}

}  // namespace

Result<std::unique_ptr<SqsInterruptionQueue>> SqsInterruptionQueue::Open(const AwsServiceClient& sqs,
                                                                         const std::string& queue, LogFn log) {
  std::string url = queue;
  if (!queue.starts_with("http://") && !queue.starts_with("https://")) {
    auto r = sqs.Json("AmazonSQS", "GetQueueUrl", "1.0", nlohmann::json{{"QueueName", queue}}.dump(), kCallTimeout);
    if (!r.IsSuccess()) {
      Error e = ToPortError(r.GetError());
      e.message = "interruption queue " + queue + ": " + e.message;
      return e;
    }
    const auto j = nlohmann::json::parse(r.GetResult().body, nullptr, false);
    url = j.is_object() ? Str(j, "QueueUrl") : "";
    if (url.empty()) return Error::Internal("GetQueueUrl " + queue + ": answer has no QueueUrl");
  }
  return std::unique_ptr<SqsInterruptionQueue>(new SqsInterruptionQueue(sqs, url, std::move(log)));
}

Result<std::vector<ports::InterruptionMessage>> SqsInterruptionQueue::Receive(int max_messages,
                                                                              model::Duration max_wait) {
  const int64_t wait_s = std::clamp<int64_t>(max_wait / model::kSecond, 0, 20);
  const nlohmann::json body = {{"QueueUrl", queue_url_},
                               {"MaxNumberOfMessages", std::clamp(max_messages, 1, 10)},
                               {"WaitTimeSeconds", wait_s},
                               {"VisibilityTimeout", kVisibilityTimeoutSeconds}};
  auto r = sqs_.Json("AmazonSQS", "ReceiveMessage", "1.0", body.dump(), kCallTimeout + wait_s * model::kSecond);
  if (!r.IsSuccess()) return ToPortError(r.GetError());
  const auto j = nlohmann::json::parse(r.GetResult().body, nullptr, false);
  if (!j.is_object()) return Error::Internal("ReceiveMessage: answer is not JSON");
  std::vector<ports::InterruptionMessage> out;
  const auto messages = j.find("Messages");
  if (messages == j.end() || !messages->is_array()) return out;  // none arrived
  for (const auto& m : *messages) {
    if (!m.is_object()) continue;
    const std::string handle = Str(m, "ReceiptHandle");
    const std::string id = Str(m, "MessageId");
    if (handle.empty()) continue;
    auto parsed = ParseEventBridgeMessage(Str(m, "Body"));
    if (parsed.ok() && !parsed->empty()) {
      for (auto& e : *parsed) {
        e.receipt_handle = handle;
        out.push_back(std::move(e));
      }
      continue;
    }
    if (log_) {
      log_(parsed.ok() ? "interruption queue: message " + id + " is an event adze ignores; deleted"
                       : "interruption queue: message " + id + " is malformed (" + parsed.error().message +
                             "); deleted");
    }
    if (Status d = Delete(handle); !d.ok() && log_) {
      log_("interruption queue: deleting message " + id + " failed: " + d.error().message);
    }
  }
  return out;
}

Status SqsInterruptionQueue::Delete(const std::string& receipt_handle) {
  auto r = sqs_.Json("AmazonSQS", "DeleteMessage", "1.0",
                     nlohmann::json{{"QueueUrl", queue_url_}, {"ReceiptHandle", receipt_handle}}.dump(), kCallTimeout);
  if (!r.IsSuccess()) return ToPortError(r.GetError());
  return OkStatus();
}

}  // namespace adze::adapters::aws
