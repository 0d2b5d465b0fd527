#include "controllers/batcher.h"

#include <gtest/gtest.h>

namespace adze::controllers {
namespace {

using model::kSecond;

TEST(BatcherTest, ClosesAfterTheIdleWindow) {
  Batcher b(1 * kSecond, 10 * kSecond);
  EXPECT_FALSE(b.ClosesAt());
  b.Trigger(5 * kSecond, "pod-a");
  EXPECT_EQ(b.ClosesAt(), 6 * kSecond);
}

TEST(BatcherTest, NewTriggersExtendButNotBeyondTheMaximum) {
  Batcher b(1 * kSecond, 10 * kSecond);
  for (int i = 0; i < 20; ++i) b.Trigger(i * kSecond / 2, "pod-" + std::to_string(i));
  // Last trigger at 9.5 s would close at 10.5 s; the cap closes it at 10 s.
  EXPECT_EQ(b.ClosesAt(), 10 * kSecond);
}

TEST(BatcherTest, RepeatedUidsDoNotExtend) {
  Batcher b(1 * kSecond, 10 * kSecond);
  b.Trigger(0, "pod-a");
  b.Trigger(kSecond / 2, "pod-a");
  EXPECT_EQ(b.ClosesAt(), 1 * kSecond);
}

TEST(BatcherTest, ResetClosesTheBatchAndForgetsUids) {
  Batcher b(1 * kSecond, 10 * kSecond);
  b.Trigger(0, "pod-a");
  b.Reset();
  EXPECT_FALSE(b.open());
  b.Trigger(20 * kSecond, "pod-a");
  EXPECT_EQ(b.ClosesAt(), 21 * kSecond);
}

}  // namespace
}  // namespace adze::controllers
