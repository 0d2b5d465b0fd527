#include "controllers/batcher.h"

#include <algorithm>

namespace adze::controllers {

void Batcher::Trigger(model::Duration now, std::string_view uid) {
  if (seen_.contains(uid)) return;
  seen_.emplace(uid);
  if (!opened_at_) opened_at_ = now;
  last_trigger_ = now;
}

std::optional<model::Duration> Batcher::ClosesAt() const {
  if (!opened_at_) return std::nullopt;
  return std::min(last_trigger_ + idle_, *opened_at_ + max_);
}

void Batcher::Reset() {
  opened_at_.reset();
  seen_.clear();
}

}  // namespace adze::controllers
