// ResourceList: named quantities (cpu, memory, pods, nvidia.com/gpu, ...), the
// shape of a pod's requests and a node's capacity. Kept as a vector sorted by
// name: lists are short (a handful of entries), so this beats a map and
// iterates in a stable order.
// Thread-safety: value type.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/quantity.h"

namespace adze::model {

namespace resource {
inline constexpr std::string_view kCpu = "cpu";
inline constexpr std::string_view kMemory = "memory";
inline constexpr std::string_view kPods = "pods";
inline constexpr std::string_view kEphemeralStorage = "ephemeral-storage";
inline constexpr std::string_view kNvidiaGpu = "nvidia.com/gpu";
inline constexpr std::string_view kAmdGpu = "amd.com/gpu";
inline constexpr std::string_view kHabanaGaudi = "habana.ai/gaudi";
inline constexpr std::string_view kNeuron = "aws.amazon.com/neuron";
inline constexpr std::string_view kNeuronCore = "aws.amazon.com/neuroncore";
inline constexpr std::string_view kEfa = "vpc.amazonaws.com/efa";
}  // namespace resource

class ResourceList {
 public:
  using Entry = std::pair<std::string, Quantity>;

  ResourceList() = default;
  ResourceList(std::initializer_list<std::pair<std::string_view, Quantity>> entries);

  // Returns the quantity for name, zero when absent.
  Quantity Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  void Set(std::string_view name, Quantity q);
  void Erase(std::string_view name);

  ResourceList& Add(const ResourceList& other);
  ResourceList& Subtract(const ResourceList& other);
  // Per-name maximum of the two lists.
  static ResourceList Max(const ResourceList& a, const ResourceList& b);
  // Multiplies every entry by n.
  ResourceList Times(int64_t n) const;

  // True when every positive request is at most what available has (absent = 0).
  static bool Fits(const ResourceList& requests, const ResourceList& available);
  // Names of requests that exceed available, for explanations. Empty iff Fits.
  static std::vector<std::string> Exceeding(const ResourceList& requests, const ResourceList& available);
  // How many copies of requests fit in available (counting only positive requests);
  // returns max_count when requests are all zero.
  static int64_t CopiesThatFit(const ResourceList& requests, const ResourceList& available,
                               int64_t max_count = 1'000'000);

  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

  // "cpu=500m, memory=1Gi"
  std::string ToString() const;

  friend bool operator==(const ResourceList& a, const ResourceList& b);

 private:
  std::vector<Entry>::iterator Find(std::string_view name);
  std::vector<Entry>::const_iterator Find(std::string_view name) const;

  std::vector<Entry> entries_;
};

}  // namespace adze::model
