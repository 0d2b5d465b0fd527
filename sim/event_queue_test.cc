#include "sim/event_queue.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace adze::sim {
namespace {

using model::kSecond;

TEST(EventQueueTest, RunsEventsInTimeThenSchedulingOrder) {
  EventQueue q;
  std::vector<std::string> ran;
  q.At(5 * kSecond, [&] { ran.push_back("b@5"); });
  q.At(1 * kSecond, [&] { ran.push_back("a@1"); });
  q.At(5 * kSecond, [&] { ran.push_back("c@5"); });
  while (q.RunNext()) {
  }
  EXPECT_EQ(ran, (std::vector<std::string>{"a@1", "b@5", "c@5"}));
  EXPECT_EQ(q.Now(), 5 * kSecond);
  EXPECT_EQ(q.events_run(), 3u);
}

TEST(EventQueueTest, EventsMayScheduleMoreAndThePastIsClampedToNow) {
  EventQueue q;
  std::vector<model::Duration> times;
  q.At(10 * kSecond, [&] {
    times.push_back(q.Now());
    q.At(3 * kSecond, [&] { times.push_back(q.Now()); });  // in the past
    q.After(2 * kSecond, [&] { times.push_back(q.Now()); });
  });
  q.RunUntil(60 * kSecond);
  EXPECT_EQ(times, (std::vector<model::Duration>{10 * kSecond, 10 * kSecond, 12 * kSecond}));
  EXPECT_EQ(q.Now(), 60 * kSecond);
}

TEST(EventQueueTest, RunUntilLeavesLaterEventsPending) {
  EventQueue q;
  int ran = 0;
  q.At(1 * kSecond, [&] { ++ran; });
  q.At(100 * kSecond, [&] { ++ran; });
  q.RunUntil(50 * kSecond);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(q.pending(), 1u);
  EXPECT_EQ(q.NextTime(), 100 * kSecond);
}

}  // namespace
}  // namespace adze::sim
