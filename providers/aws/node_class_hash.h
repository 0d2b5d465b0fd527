// NodeClassHash: the stable hashes behind drift (spec §1.3, §6.5 Drift) — a
// 64-bit FNV-1a over length-prefixed fields, and the EC2NodeClass's static
// hash (the spec minus its selector terms, with the AMI family in effect and
// the kubelet settings), which Karpenter stores on the instance at launch and
// compares with the node class's current one.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ec2nodeclass.h"
#include "model/quantity.h"
#include "model/resource_list.h"

namespace adze::providers::aws {

// FNV-1a over length-prefixed fields: equal inputs hash equally on every
// platform and run.
class Hasher {
 public:
  Hasher& Add(std::string_view s);
  Hasher& AddU64(uint64_t v);
  Hasher& AddBool(bool b) { return AddU64(b ? 1 : 0); }
  template <typename T>
  Hasher& AddOpt(const std::optional<T>& v) {
    AddBool(v.has_value());
    if (v) AddU64(static_cast<uint64_t>(*v));
    return *this;
  }
  Hasher& AddQuantity(const std::optional<model::Quantity>& q);
  Hasher& AddResources(const model::ResourceList& rl);
  Hasher& AddMap(const std::map<std::string, std::string>& m);
  Hasher& AddTerms(const std::vector<model::SelectorTerm>& terms);
  uint64_t value() const { return h_; }

 private:
  void Byte(unsigned char c) {
    h_ ^= c;
    h_ *= 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

// The static drift hash of the node class (Karpenter's ec2nodeclass-hash).
uint64_t StaticHash(const model::EC2NodeClass& node_class);

// "<prefix>-" + 17 hex digits of value (ids shaped like AWS's: ami-…, subnet-…).
std::string HexId(std::string_view prefix, uint64_t value);

}  // namespace adze::providers::aws
