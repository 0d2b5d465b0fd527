// SqsQueues: the twin's Amazon SQS — named standard queues with SQS's
// receive semantics: ReceiveMessage returns up to 10 visible messages,
// oldest first, each then invisible for its visibility timeout (default
// 30 s, SQS's) with a fresh receipt handle; a message not deleted comes back.
// ReceiveMessage long-polls: it waits up to WaitTimeSeconds and answers as
// soon as a message is visible. Times are wall time (SQS's timeouts belong
// to the client, not to the twin's EC2).
// Thread-safety: thread-safe; Receive blocks without holding the lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"

namespace adze::twin {

struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  int receive_count = 0;
};

class SqsQueues {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kDefaultVisibility{30};

  // Queue URLs are url_prefix + "/" + name (url_prefix: http://127.0.0.1:PORT/ACCOUNT).
  explicit SqsQueues(std::string url_prefix);

  // CreateQueue: the queue's URL (an existing queue is returned as is).
  std::string Create(const std::string& name);
  // GetQueueUrl: nullopt when there is no such queue.
  std::optional<std::string> UrlOf(const std::string& name) const;
  // The queue's name from its URL or name; nullopt when it does not exist.
  std::optional<std::string> NameOf(const std::string& url_or_name) const;

  // SendMessage: the message id. kNotFound: no such queue.
  Result<std::string> Send(const std::string& url, const std::string& body);
  // Posts the body to every queue (the EventBridge rule's targets).
  void Broadcast(const std::string& body);
  // ReceiveMessage. kNotFound: no such queue.
  Result<std::vector<SqsMessage>> Receive(const std::string& url, int max_messages, std::chrono::milliseconds wait,
                                          std::optional<std::chrono::seconds> visibility);
  // DeleteMessage. kNotFound: no such queue or receipt handle.
  Status Delete(const std::string& url, const std::string& receipt_handle);
  // ApproximateNumberOfMessages (visible) and ...NotVisible. kNotFound: no such queue.
  Result<std::pair<size_t, size_t>> Depth(const std::string& url) const;

  // Ends every long-poll now (they answer with what is visible).
  void Shutdown();

 private:
  struct Entry {
    SqsMessage message;
    Clock::time_point visible_at;
  };
  struct Queue {
    std::deque<Entry> entries;  // oldest first
  };
  Queue* FindLocked(const std::string& url_or_name);
  const Queue* FindLocked(const std::string& url_or_name) const;
  void PushLocked(Queue& q, const std::string& body);

  const std::string url_prefix_;
  mutable std::mutex mu_;
  std::condition_variable arrived_;
  std::map<std::string, Queue> queues_;  // by name
  uint64_t next_id_ = 1;
  bool shutdown_ = false;
};

}  // namespace adze::twin
