// EventQueue: the simulator's discrete-event engine and virtual clock. Events
// run in (virtual time, sequence number) order, so two events at the same
// instant run in the order they were scheduled and a run is reproducible.
// Virtual time is an integer (SimTime microseconds) and only moves forward.
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "model/duration.h"

namespace adze::sim {

class EventQueue {
 public:
  using Action = std::function<void()>;

  // Virtual time since the start of the run.
  model::Duration Now() const { return now_; }

  // Runs action at time (clamped to now: the past cannot be scheduled).
  void At(model::Duration time, Action action);
  void After(model::Duration delay, Action action) { At(now_ + delay, std::move(action)); }

  // Runs the earliest event; false when none is left.
  bool RunNext();
  // Runs every event at or before end, then sets the clock to end.
  void RunUntil(model::Duration end);

  // Time of the earliest pending event; REQUIRES: !empty().
  model::Duration NextTime() const { return heap_.top().time; }
  bool empty() const { return heap_.empty(); }
  size_t pending() const { return heap_.size(); }
  uint64_t events_run() const { return events_run_; }

 private:
  struct Event {
    model::Duration time;
    uint64_t sequence;
    Action action;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  model::Duration now_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t events_run_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
};

}  // namespace adze::sim
