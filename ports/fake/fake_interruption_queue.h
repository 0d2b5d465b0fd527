// FakeInterruptionQueue: an SQS-like ports::InterruptionQueue for controller
// unit tests. A received message is invisible until it is deleted or its
// visibility timeout (30 s, SQS's default) passes on the Clock, then comes
// back with a new receipt handle. Receive and Delete can be made to fail.
// Thread-safety: none.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/interruption_queue.h"

namespace adze::ports::fake {

class FakeInterruptionQueue final : public InterruptionQueue {
 public:
  static constexpr model::Duration kVisibilityTimeout = 30 * model::kSecond;

  explicit FakeInterruptionQueue(const Clock& clock) : clock_(clock) {}

  void Post(InterruptionMessage::Kind kind, const std::string& instance_id) {
    InterruptionMessage m;
    m.kind = kind;
    m.instance_id = instance_id;
    m.time = clock_.Now();
    messages_.push_back(Stored{m, 0});
  }
  void FailNextReceive(Error e) { receive_failures_.push_back(std::move(e)); }
  void FailNextDelete(Error e) { delete_failures_.push_back(std::move(e)); }
  // Messages not yet deleted, visible or not.
  size_t size() const { return messages_.size(); }

  Result<std::vector<InterruptionMessage>> Receive(int max_messages, model::Duration /*max_wait*/) override {
    if (!receive_failures_.empty()) {
      Error e = std::move(receive_failures_.front());
      receive_failures_.pop_front();
      return e;
    }
    std::vector<InterruptionMessage> out;
    for (Stored& s : messages_) {
      if (static_cast<int>(out.size()) == max_messages) break;
      if (s.invisible_until > clock_.Now()) continue;
      s.invisible_until = clock_.Now() + kVisibilityTimeout;
      s.message.receipt_handle = "rh-" + std::to_string(next_receipt_++);
      out.push_back(s.message);
    }
    return out;
  }

  Status Delete(const std::string& receipt_handle) override {
    if (!delete_failures_.empty()) {
      Error e = std::move(delete_failures_.front());
      delete_failures_.pop_front();
      return e;
    }
    std::erase_if(messages_, [&](const Stored& s) { return s.message.receipt_handle == receipt_handle; });
    return OkStatus();
  }

 private:
  struct Stored {
    InterruptionMessage message;
    model::Duration invisible_until = 0;
  };
  const Clock& clock_;
  std::deque<Stored> messages_;
  std::deque<Error> receive_failures_, delete_failures_;
  uint64_t next_receipt_ = 1;
};

}  // namespace adze::ports::fake
