// SizeForArrivals: the claim keeps only types that fit it, led by the one
// with the lowest price per pod served, and never takes more room than the
// arrivals it was told to expect.
#include "controllers/arrival_sizing.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <deque>

#include "scheduling/solver_test_util.h"

namespace adze::controllers {
namespace {

model::Pod PodOf(int64_t cpu_milli) {
  model::Pod pod;
  model::Container c;
  c.requests = {{"cpu", model::Quantity::FromMilli(cpu_milli)}};
  pod.containers = {c};
  return pod;
}

RC_GTEST_PROP(ArrivalSizingProp, KeepsFittingTypesLedByTheLowestPricePerPodServed, ()) {
  const int64_t cpu_milli = *rc::gen::inRange<int64_t>(100, 4000);
  const size_t own = *rc::gen::inRange<size_t>(1, 4);
  const size_t expected = *rc::gen::inRange<size_t>(0, 12);
  std::vector<model::Pod> pods(own, PodOf(cpu_milli));
  std::deque<catalog::InstanceType> types;  // stable addresses
  scheduling::NewClaim claim;
  claim.requests = {{"cpu", model::Quantity::FromMilli(cpu_milli * static_cast<int64_t>(own))}};
  for (size_t i = 0; i < own; ++i) claim.pods.push_back(i);
  const int n_types = *rc::gen::inRange(1, 6);
  for (int t = 0; t < n_types; ++t) {
    const int cpus = *rc::gen::element(2, 4, 8, 16, 32, 64);
    const double price = cpus * 0.04 * (*rc::gen::inRange(50, 150)) / 100.0;
    catalog::InstanceType type = scheduling::test_util::Type("t" + std::to_string(t), cpus, cpus * 4, 110, price);
    if (!model::ResourceList::Fits(claim.requests, type.Allocatable())) continue;  // options all fit the claim
    types.push_back(std::move(type));
  }
  RC_PRE(!types.empty());
  for (const catalog::InstanceType& t : types) claim.instance_types.push_back(&t);
  auto price = [](const catalog::InstanceType* t) { return *t->CheapestPrice(); };
  std::stable_sort(claim.instance_types.begin(), claim.instance_types.end(),
                   [&](auto* a, auto* b) { return price(a) < price(b); });
  const std::vector<const catalog::InstanceType*> before = claim.instance_types;
  auto served = [&](const catalog::InstanceType* t) {
    model::ResourceList room = t->Allocatable();
    room.Subtract(claim.requests);
    return own + static_cast<size_t>(model::ResourceList::CopiesThatFit(
                     model::ResourceList{{"cpu", model::Quantity::FromMilli(cpu_milli)}}, room,
                     static_cast<int64_t>(expected)));
  };

  const size_t taken = SizeForArrivals(claim, pods, expected);

  RC_ASSERT(taken <= expected);
  RC_ASSERT(!claim.instance_types.empty());
  for (const catalog::InstanceType* t : claim.instance_types) {  // a subset, in the same order
    RC_ASSERT(std::find(before.begin(), before.end(), t) != before.end());
  }
  RC_ASSERT(std::is_sorted(claim.instance_types.begin(), claim.instance_types.end(),
                           [&](auto* a, auto* b) { return price(a) < price(b); }));
  const catalog::InstanceType* lead = claim.instance_types.front();
  RC_ASSERT(taken == served(lead) - own);
  for (const catalog::InstanceType* t : before) {
    RC_ASSERT(price(lead) / static_cast<double>(served(lead)) <= price(t) / static_cast<double>(served(t)) + 1e-12);
  }
  if (expected == 0) RC_ASSERT(claim.instance_types == before);
}

model::Pod GpuPod() {
  model::Pod pod;
  model::Container c;
  c.requests = {{"cpu", model::Quantity::FromUnits(2)}, {"nvidia.com/gpu", model::Quantity::FromUnits(1)}};
  pod.containers = {c};
  return pod;
}

// With a premium, a GPU claim leads with the type serving the most pods
// among those within the premium of the lowest price per pod served; a CPU
// claim ignores the premium.
RC_GTEST_PROP(ArrivalSizingProp, APremiumBuysTheMostRoomWithinItForGpuClaims, ()) {
  const bool gpu = *rc::gen::arbitrary<bool>();
  const double premium = *rc::gen::element(0.25, 0.5, 1.0);
  const size_t expected = *rc::gen::inRange<size_t>(0, 12);
  const model::Pod pod = gpu ? GpuPod() : PodOf(2000);
  std::vector<model::Pod> pods = {pod};
  std::deque<catalog::InstanceType> types;
  double per_gpu = 1.0;
  for (int size : {1, 2, 4, 8}) {
    if (size > 1 && !*rc::gen::arbitrary<bool>()) continue;
    per_gpu *= 1.0 + 0.1 * *rc::gen::element(0, 1, 2, 3, 4, 5, 6, 7);
    types.push_back(scheduling::test_util::Type("t" + std::to_string(size), 4 * size, 16 * size, 110, per_gpu * size,
                                                {"zone-a"}, gpu ? size : 0));
  }
  auto claim_of = [&] {
    scheduling::NewClaim claim;
    claim.pods = {0};
    claim.requests = pod.EffectiveRequests();
    for (const catalog::InstanceType& t : types) claim.instance_types.push_back(&t);  // cheapest first
    return claim;
  };
  auto served = [&](const catalog::InstanceType* t) {
    model::ResourceList room = t->Allocatable();
    room.Subtract(pod.EffectiveRequests());
    return 1 + static_cast<size_t>(model::ResourceList::CopiesThatFit(pod.EffectiveRequests(), room,
                                                                         static_cast<int64_t>(expected)));
  };
  auto per_pod = [&](const catalog::InstanceType* t) { return *t->CheapestPrice() / static_cast<double>(served(t)); };

  scheduling::NewClaim plain = claim_of(), paid = claim_of();
  SizeForArrivals(plain, pods, expected);
  const size_t taken = SizeForArrivals(paid, pods, expected, premium);

  RC_ASSERT(taken <= expected);
  const catalog::InstanceType* lead = paid.instance_types.front();
  RC_ASSERT(taken == served(lead) - 1);
  if (!gpu) {
    RC_ASSERT(paid.instance_types == plain.instance_types);
    return;
  }
  const catalog::InstanceType* cheapest_per_pod = plain.instance_types.front();
  RC_ASSERT(per_pod(lead) <= (1 + premium) * per_pod(cheapest_per_pod) + 1e-12);
  for (const catalog::InstanceType& t : types) {
    if (per_pod(&t) <= (1 + premium) * per_pod(cheapest_per_pod)) RC_ASSERT(served(lead) >= served(&t));
  }
  RC_TAG(lead == cheapest_per_pod ? "same type" : "more room for the premium");
}

TEST(PoolArrivalsTest, ExpectedArrivalsScaleTheWindowsCountToTheHorizon) {
  PoolArrivals arrivals(model::kMinute);
  arrivals.Record("gpu", 0, 3);
  arrivals.Record("gpu", 30 * model::kSecond, 3);
  EXPECT_DOUBLE_EQ(arrivals.Expected("gpu", 40 * model::kSecond, 2 * model::kMinute), 12.0);
  EXPECT_DOUBLE_EQ(arrivals.Expected("gpu", 70 * model::kSecond, model::kMinute), 3.0);  // the first 3 left the window
  EXPECT_DOUBLE_EQ(arrivals.Expected("cpu", 70 * model::kSecond, model::kMinute), 0.0);
}

}  // namespace
}  // namespace adze::controllers
