// MoveCache: the solver's verdict on new capacity for a multiset of pod
// shapes, remembered across disruption passes. Single-node consolidation
// asks the same question for many nodes and many passes; the answer depends
// only on the pods that need new nodes, the candidates' price and the pools,
// so it is cached by those. Entries expire (offerings' availability moves)
// and are dropped when the pools change.
// Thread-safety: none.
#pragma once

#include <map>
#include <string>

#include "model/duration.h"

namespace adze::controllers::disruption {

template <typename Value>
class MoveCache {
 public:
  explicit MoveCache(model::Duration ttl = 5 * model::kMinute) : ttl_(ttl) {}

  // Starts a pass at now with the pools' fingerprint.
  void Begin(model::Duration now, const std::string& fingerprint) {
    if (fingerprint != fingerprint_ || now - since_ >= ttl_) {
      entries_.clear();
      fingerprint_ = fingerprint;
      since_ = now;
    }
  }
  const Value* Find(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  void Put(const std::string& key, Value value) { entries_.insert_or_assign(key, std::move(value)); }

 private:
  model::Duration ttl_;
  model::Duration since_ = 0;
  std::string fingerprint_;
  std::map<std::string, Value> entries_;
};

}  // namespace adze::controllers::disruption
