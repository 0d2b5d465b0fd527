#include "scheduling/queue.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace adze::scheduling {

std::vector<size_t> QueueOrder(const SolverInput& input) {
  // Spec §2.4: CPU desc, memory desc, creation asc, then UID (name as fallback).
  std::vector<size_t> order(input.pods.size());
  std::vector<std::pair<int64_t, int64_t>> key(input.pods.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    model::ResourceList r = input.pods[i].EffectiveRequests();
    key[i] = {r.Get(model::resource::kCpu).milli(), r.Get(model::resource::kMemory).milli()};
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (key[a] != key[b]) return key[a] > key[b];
    const auto& ma = input.pods[a].meta;
    const auto& mb = input.pods[b].meta;
    if (ma.creation_time != mb.creation_time) return ma.creation_time < mb.creation_time;
    if (ma.uid != mb.uid) return ma.uid < mb.uid;
    return std::tie(ma.namespace_, ma.name) < std::tie(mb.namespace_, mb.name);
  });
  return order;
}

}  // namespace adze::scheduling
