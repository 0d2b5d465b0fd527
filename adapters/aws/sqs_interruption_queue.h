// SqsInterruptionQueue: ports::InterruptionQueue over Amazon SQS (JSON
// protocol): the queue EventBridge feeds with EC2 and Health events
// (Karpenter's --interruption-queue). Receive long-polls ReceiveMessage (at
// most 20 s, SQS's limit) with a 20 s visibility timeout (spec §7), parses
// each body (eventbridge_message.h) and returns the events to act on; bodies
// that are malformed, or events Karpenter ignores, are logged (by message id,
// never the body) and deleted at once, so they never come back and never
// stop the loop. Delete is DeleteMessage; an invalid receipt handle is
// kNotFound.
// Thread-safety: thread-safe (the client is).
#pragma once

#include <memory>
#include <string>

#include "adapters/aws/aws_service_client.h"
#include "ports/interruption_queue.h"

namespace adze::adapters::aws {

class SqsInterruptionQueue : public ports::InterruptionQueue {
 public:
  // `queue` is a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)
  // or a name, looked up with GetQueueUrl. REQUIRES: sqs outlives the queue.
  static Result<std::unique_ptr<SqsInterruptionQueue>> Open(const AwsServiceClient& sqs, const std::string& queue,
                                                            LogFn log);

  Result<std::vector<ports::InterruptionMessage>> Receive(int max_messages, model::Duration max_wait) override;
  Status Delete(const std::string& receipt_handle) override;

  const std::string& queue_url() const { return queue_url_; }

 private:
  SqsInterruptionQueue(const AwsServiceClient& sqs, std::string queue_url, LogFn log)
      : sqs_(sqs), queue_url_(std::move(queue_url)), log_(std::move(log)) {}

  const AwsServiceClient& sqs_;
  const std::string queue_url_;
  LogFn log_;
};

}  // namespace adze::adapters::aws
