// BitSet: a set of small ids with one bit each, grown on demand; the
// solver's per-class-step memo of nodes and claims that can never take a pod.
// Thread-safety: value type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace adze::scheduling {

class BitSet {
 public:
  bool Test(size_t i) const { return i / 64 < w_.size() && (w_[i / 64] >> (i % 64)) & 1; }
  void Set(size_t i) {
    if (i / 64 >= w_.size()) w_.resize(i / 64 + 1, 0);
    w_[i / 64] |= uint64_t{1} << (i % 64);
  }

 private:
  std::vector<uint64_t> w_;
};

}  // namespace adze::scheduling
