#include "sim/event_queue.h"

#include <algorithm>
#include <utility>

namespace adze::sim {

void EventQueue::At(model::Duration time, Action action) {
  heap_.push(Event{std::max(time, now_), next_sequence_++, std::move(action)});
}

bool EventQueue::RunNext() {
  if (heap_.empty()) return false;
  // Move the action out before popping: it may schedule more events.
  Event event = std::move(const_cast<Event&>(heap_.top()));
  heap_.pop();
  now_ = event.time;
  ++events_run_;
  event.action();
  return true;
}

void EventQueue::RunUntil(model::Duration end) {
  while (!heap_.empty() && heap_.top().time <= end) RunNext();
  now_ = std::max(now_, end);
}

}  // namespace adze::sim
