// LeaderElector: one active controller among replicas, on a
// coordination.k8s.io/v1 Lease, as client-go's leaderelection: the holder
// renews every retry period (2 s); a candidate takes the lease once it has
// gone unrenewed for the lease duration (15 s) as this process observed it
// (not by comparing clocks across machines); a leader that has not renewed
// within the renew deadline (10 s) stops leading. Release() on clean shutdown
// clears the holder so another replica takes over at once.
// Thread-safety: Run() (or TryAcquireOrRenew) on one thread, leading() from
// any; Release() once Run() has returned.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "adapters/kube/rest_client.h"

namespace adze::kube {

struct LeaderElectionOptions {
  std::string namespace_ = "kube-system";
  std::string name = "karpenter-leader-election";  // Karpenter's LEADER_ELECTION_NAME default
  std::string identity;                            // this replica (hostname + pid)
  std::chrono::seconds lease_duration{15};
  std::chrono::seconds renew_deadline{10};
  std::chrono::seconds retry_period{2};
};

class LeaderElector {
 public:
  using Clock = std::chrono::steady_clock;
  LeaderElector(RestClient& client, LeaderElectionOptions options);

  // One attempt to acquire or renew at now. Returns whether this replica
  // leads now (false once the renew deadline passed without a renewal).
  bool TryAcquireOrRenew(Clock::time_point now);
  // Tries every retry period until stop: on a thread of its own, as
  // client-go's elector runs in its own goroutine, so that a slow reconcile
  // (API calls waiting out throttling) never costs the lease.
  void Run(const std::atomic<bool>& stop);
  bool leading() const { return leading_.load(); }
  // Gives the lease up (holder cleared) if this replica holds it.
  void Release();
  const LeaderElectionOptions& options() const { return options_; }

 private:
  std::string Path() const;

  RestClient& client_;
  LeaderElectionOptions options_;
  std::atomic<bool> leading_{false};
  Clock::time_point last_renew_{};
  // What we last saw of someone else's lease, and when we saw it change.
  std::string observed_record_;
  Clock::time_point observed_at_{};
};

}  // namespace adze::kube
