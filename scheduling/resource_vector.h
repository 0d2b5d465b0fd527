// ResourceVector: resources as a dense array of milli-unit counts, indexed by
// a ResourceSpace built once per solve. The solver compares and adds these
// millions of times; a ResourceList (named, sorted) is for the edges.
// Thread-safety: value types; a ResourceSpace is immutable once built.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/resource_list.h"

namespace adze::scheduling {

inline constexpr size_t kMaxResources = 16;

class ResourceVector {
 public:
  ResourceVector() { v_.fill(0); }
  int64_t operator[](size_t i) const { return v_[i]; }
  int64_t& operator[](size_t i) { return v_[i]; }

  ResourceVector& operator+=(const ResourceVector& o) {
    for (size_t i = 0; i < kMaxResources; ++i) v_[i] += o.v_[i];
    return *this;
  }
  ResourceVector& operator-=(const ResourceVector& o) {
    for (size_t i = 0; i < kMaxResources; ++i) v_[i] -= o.v_[i];
    return *this;
  }
  friend ResourceVector operator+(ResourceVector a, const ResourceVector& b) { return a += b; }
  friend ResourceVector operator-(ResourceVector a, const ResourceVector& b) { return a -= b; }

  // True when every component of *this is at most the same one of limit.
  bool FitsIn(const ResourceVector& limit) const {
    for (size_t i = 0; i < kMaxResources; ++i) {
      if (v_[i] > limit.v_[i]) return false;
    }
    return true;
  }
  // FitsIn over the first n components only (the rest are zero in a solve
  // whose ResourceSpace has n names).
  bool FitsInFirst(const ResourceVector& limit, size_t n) const {
    for (size_t i = 0; i < n; ++i) {
      if (v_[i] > limit.v_[i]) return false;
    }
    return true;
  }
  static ResourceVector Max(const ResourceVector& a, const ResourceVector& b) {
    ResourceVector out;
    for (size_t i = 0; i < kMaxResources; ++i) out.v_[i] = a.v_[i] > b.v_[i] ? a.v_[i] : b.v_[i];
    return out;
  }
  static ResourceVector Min(const ResourceVector& a, const ResourceVector& b) {
    ResourceVector out;
    for (size_t i = 0; i < kMaxResources; ++i) out.v_[i] = a.v_[i] < b.v_[i] ? a.v_[i] : b.v_[i];
    return out;
  }
  friend bool operator==(const ResourceVector&, const ResourceVector&) = default;

 private:
  std::array<int64_t, kMaxResources> v_;
};

// The resource names of one solve, in a fixed order (cpu, memory, pods first).
class ResourceSpace {
 public:
  ResourceSpace();
  // Adds the names of list; names past kMaxResources are ignored (and then
  // never constrain a fit) — REQUIRES: fewer than kMaxResources distinct names.
  void AddNames(const model::ResourceList& list);
  ResourceVector ToVector(const model::ResourceList& list) const;
  model::ResourceList ToList(const ResourceVector& v) const;
  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  std::vector<std::string> names_;
};

}  // namespace adze::scheduling
