// TwinEc2: the simulator's EC2 (sim::SimulatedEc2 over a sim::EventQueue)
// driven by wall time, for the twin's AWS endpoint. Twin time runs `speed`
// times faster than the wall from the moment of construction:
//   virtual = (wall − t0) × speed,  wall = t0 + virtual / speed,
// so every EC2 delay (CreateFleet latency, the spot notice, the rebalance
// lead) shrinks by `speed`; times handed to clients are mapped back to wall
// time.
//
// A step thread (Start) advances the event queue to the wall clock every few
// milliseconds; CreateFleet callbacks and interruption messages happen
// there. Interruption messages leave SimulatedEc2's own queue at once and go
// to the message sink as EventBridge JSON (the twin's SQS queues).
//
// Fault controls: capacity blocks (matching CreateFleet overrides fail with
// InsufficientInstanceCapacity without reaching the pools) and spot
// interruptions on demand (SimulatedEc2::InterruptSpotInstance).
// Thread-safety: thread-safe. One mutex guards the simulator; CreateFleet
// waits for its answer without holding it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/twin/instance_directory.h"
#include "catalog/catalog.h"
#include "sim/ec2/simulated_ec2.h"
#include "sim/event_queue.h"

namespace adze::twin {

struct TwinEc2Options {
  double speed = 1;  // > 0
  uint64_t seed = 42;
  std::string region = "us-east-1";
  std::string account = "000000000000";
  // Wall clock, µs since the Unix epoch. Default: the system clock.
  std::function<int64_t()> wall_now;
  std::chrono::milliseconds step_interval{5};
};

// Overrides that fail with InsufficientInstanceCapacity while the block lasts.
struct CapacityBlock {
  std::set<std::string> instance_types;  // any of these types ...
  std::string family;                    // ... or any type of this family (g6 → g6.xlarge, ...)
  std::set<std::string> zones;           // empty: every zone
  std::string capacity_type;             // spot | on-demand; empty: both
  model::Duration until = 0;             // twin (virtual) time; 0: until cleared
};

// One instance for the control API (times in wall µs).
struct TwinInstance {
  providers::aws::Ec2Instance instance;
  std::string capacity_type;  // spot | on-demand | reserved
  int64_t launch_time = 0;
};

// Receives each interruption message as an EventBridge event body.
using MessageSink = std::function<void(const std::string& body)>;

class TwinEc2 : public InstanceDirectory {
 public:
  // REQUIRES: catalog outlives this object.
  TwinEc2(const catalog::Catalog& catalog, const sim::Ec2Options& ec2, catalog::CapacityOptions base,
          TwinEc2Options options);
  ~TwinEc2() override;
  TwinEc2(const TwinEc2&) = delete;
  TwinEc2& operator=(const TwinEc2&) = delete;

  // Set before Start.
  void SetMessageSink(MessageSink sink);
  // Starts / stops the step thread. Stop wakes every waiting CreateFleet
  // (it answers ServiceUnavailable). Idempotent.
  void Start();
  void Stop();
  // Advances the event queue to the wall clock now (what the thread does).
  void Step();

  // Runs fn(SimulatedEc2&) under the lock and returns what it returns.
  template <typename F>
  auto Locked(F&& fn) {
    std::lock_guard lock(mu_);
    return fn(*ec2_);
  }

  // CreateFleet through the event queue (its latency ÷ speed), capacity
  // blocks applied; waits at most `timeout` of wall time for the answer,
  // then answers RequestTimeout (the fleet still launches, as on AWS).
  providers::aws::Outcome<providers::aws::CreateFleetResponse> CreateFleet(providers::aws::CreateFleetRequest request,
                                                                          std::chrono::milliseconds timeout);

  void AddCapacityBlock(CapacityBlock block);
  // Returns how many blocks were removed.
  size_t ClearCapacityBlocks();
  // Spot interruptions now (SimulatedEc2::InterruptSpotInstance).
  Status Interrupt(const std::string& instance_id);
  // Up to `count` running spot instances, drawn with the seeded generator;
  // returns their ids.
  std::vector<std::string> InterruptRandom(int count);

  // Every instance, terminated included, by id.
  std::vector<TwinInstance> Instances() const;
  // SimulatedEc2's counters and bill, and the capacity blocks' effects.
  nlohmann::json Counters() const;

  // InstanceDirectory.
  std::optional<InstanceState> Find(const std::string& instance_id) const override;

  // Time mapping.
  model::Duration VirtualNow() const;
  int64_t ToWall(model::Duration virtual_time) const;
  double speed() const { return options_.speed; }

 private:
  bool Blocked(const providers::aws::FleetOverride& ov, const std::string& capacity_type) const;
  void DrainMessagesLocked();

  const catalog::Catalog& catalog_;
  TwinEc2Options options_;
  const int64_t t0_;

  mutable std::mutex mu_;  // guards everything below
  sim::EventQueue events_;
  std::unique_ptr<sim::SimulatedEc2> ec2_;
  std::vector<CapacityBlock> blocks_;
  uint64_t blocked_overrides_ = 0;
  uint64_t injected_interruptions_ = 0;
  uint64_t next_event_ = 1;
  std::mt19937_64 random_;
  MessageSink sink_;
  bool stopping_ = false;
  std::condition_variable wake_;  // the step thread sleeps on it
  // Bumped by every Step and by Stop: CreateFleet waiters re-check.
  std::condition_variable answered_;

  std::thread thread_;
};

}  // namespace adze::twin
