#include "adapters/twin/sqs_queues.h"

#include <gtest/gtest.h>

namespace adze::twin {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SqsQueues, ReceivedMessagesHideForTheVisibilityTimeoutAndComeBackUnlessDeleted) {
  SqsQueues q("http://127.0.0.1:1/000000000000");
  const std::string url = q.Create("events");
  EXPECT_EQ(url, "http://127.0.0.1:1/000000000000/events");
  EXPECT_EQ(q.Create("events"), url);  // idempotent
  ASSERT_TRUE(q.Send(url, "one").ok());
  ASSERT_TRUE(q.Send(url, "two").ok());

  auto first = q.Receive(url, 1, milliseconds(0), seconds(30));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().body, "one");  // oldest first
  auto second = q.Receive(url, 10, milliseconds(0), seconds(30));
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->front().body, "two");
  EXPECT_TRUE(q.Receive(url, 10, milliseconds(0), seconds(30))->empty());  // both invisible
  EXPECT_EQ(*q.Depth(url), std::make_pair(size_t{0}, size_t{2}));

  ASSERT_TRUE(q.Delete(url, first->front().receipt_handle).ok());
  EXPECT_EQ(q.Delete(url, first->front().receipt_handle).error().code, ErrorCode::kNotFound);

  // Visibility 0: a message not deleted is visible again at once, with a new handle.
  SqsQueues r("http://x/0");
  const std::string u = r.Create("q");
  ASSERT_TRUE(r.Send(u, "again").ok());
  auto a = r.Receive(u, 1, milliseconds(0), seconds(0));
  auto b = r.Receive(u, 1, milliseconds(0), seconds(0));
  ASSERT_EQ(a->size(), 1u);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ(b->front().message_id, a->front().message_id);
  EXPECT_NE(b->front().receipt_handle, a->front().receipt_handle);
  EXPECT_EQ(b->front().receive_count, 2);
  EXPECT_EQ(r.Delete(u, a->front().receipt_handle).error().code, ErrorCode::kNotFound);  // outdated
  EXPECT_TRUE(r.Delete(u, b->front().receipt_handle).ok());
}

TEST(SqsQueues, BroadcastReachesEveryQueueAndUnknownQueuesAreNotFound) {
  SqsQueues q("http://h/0");
  const std::string a = q.Create("a"), b = q.Create("b");
  q.Broadcast("event");
  EXPECT_EQ(q.Receive(a, 10, milliseconds(0), std::nullopt)->size(), 1u);
  EXPECT_EQ(q.Receive(b, 10, milliseconds(0), std::nullopt)->size(), 1u);
  EXPECT_EQ(q.Receive("http://h/0/c", 1, milliseconds(0), std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(q.Send("http://h/0/c", "x").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(q.UrlOf("c"));
}

TEST(SqsQueues, ShutdownEndsALongPoll) {
  SqsQueues q("http://h/0");
  const std::string a = q.Create("a");
  q.Shutdown();
  auto got = q.Receive(a, 1, milliseconds(60'000), std::nullopt);  // would block a minute otherwise
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
}

}  // namespace
}  // namespace adze::twin
