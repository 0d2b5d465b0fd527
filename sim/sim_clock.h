// SimClock: the controllers' ports::Clock in a simulation — the run's start
// (a UTC instant, Scenario::start) plus the event queue's virtual time, so
// controllers see absolute time (cron budgets read the real calendar) while
// the simulated world keeps counting from zero. Timers are queue events.
// Thread-safety: none; a simulation runs on one thread.
#pragma once

#include "ports/clock.h"
#include "sim/event_queue.h"

namespace adze::sim {

class SimClock final : public ports::Clock {
 public:
  // REQUIRES: events outlives this object.
  SimClock(EventQueue& events, ports::Time start) : events_(events), start_(start) {}

  ports::Time Now() const override { return start_ + events_.Now(); }
  void At(ports::Time when, std::function<void()> fire) override { events_.At(when - start_, std::move(fire)); }

  // Virtual time since the start of the run, for what the world records.
  model::Duration Elapsed() const { return events_.Now(); }
  ports::Time start() const { return start_; }

 private:
  EventQueue& events_;
  ports::Time start_;
};

}  // namespace adze::sim
