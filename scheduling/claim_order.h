// ClaimOrder: the open claims of one packing in the order a pod tries them
// (spec §2.5.2): by pod count, emptiest first (Karpenter) or fullest first
// (adze best fit), ties by claim id. One bucket per pod count, each sorted by
// id, so a claim that gains a pod moves between two buckets without
// re-sorting the rest.
// Thread-safety: value type; not safe for concurrent mutation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace adze::scheduling {

class ClaimOrder {
 public:
  explicit ClaimOrder(bool fullest_first) : fullest_first_(fullest_first) {}

  void Insert(size_t claim, size_t pods) {
    if (pods >= buckets_.size()) buckets_.resize(pods + 1);
    if (claim >= where_.size()) where_.resize(claim + 1, kNone);
    std::vector<size_t>& b = buckets_[pods];
    b.insert(std::lower_bound(b.begin(), b.end(), claim), claim);
    where_[claim] = pods;
  }
  void Erase(size_t claim) {
    size_t pods = where_[claim];
    if (pods == kNone) return;
    std::vector<size_t>& b = buckets_[pods];
    b.erase(std::lower_bound(b.begin(), b.end(), claim));
    where_[claim] = kNone;
  }
  bool IsOpen(size_t claim) const { return claim < where_.size() && where_[claim] != kNone; }
  // True when open claim a comes before open claim b.
  bool Before(size_t a, size_t b) const {
    if (where_[a] != where_[b]) return fullest_first_ ? where_[a] > where_[b] : where_[a] < where_[b];
    return a < b;
  }
  // Calls f(claim) in order until it returns true; returns whether it did.
  template <typename F>
  bool FindFirst(F&& f) const {
    if (fullest_first_) {
      for (size_t k = buckets_.size(); k-- > 0;) {
        for (size_t c : buckets_[k]) {
          if (f(c)) return true;
        }
      }
    } else {
      for (const std::vector<size_t>& b : buckets_) {
        for (size_t c : b) {
          if (f(c)) return true;
        }
      }
    }
    return false;
  }

 private:
  static constexpr size_t kNone = SIZE_MAX;
  bool fullest_first_;
  std::vector<std::vector<size_t>> buckets_;
  std::vector<size_t> where_;  // claim -> bucket, kNone when closed
};

}  // namespace adze::scheduling
