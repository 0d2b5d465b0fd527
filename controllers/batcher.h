// Batcher: the provisioner's batching window (spec §2.2). The first trigger
// opens a batch; it closes once no new trigger has arrived for `idle`, or
// `max` after it opened, whichever is first. A trigger for a UID already in
// the batch does not extend it.
// Thread-safety: none.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "model/duration.h"

namespace adze::controllers {

class Batcher {
 public:
  Batcher(model::Duration idle, model::Duration max) : idle_(idle), max_(max) {}

  void Trigger(model::Duration now, std::string_view uid);
  // When the open batch closes; nullopt when no batch is open.
  std::optional<model::Duration> ClosesAt() const;
  // Ends the batch (the provisioner ran).
  void Reset();
  bool open() const { return opened_at_.has_value(); }

 private:
  model::Duration idle_;
  model::Duration max_;
  std::optional<model::Duration> opened_at_;
  model::Duration last_trigger_ = 0;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace adze::controllers
