// FakeCloud: a scripted ports::CloudProvider for controller unit tests.
// Create launches a made-up instance of the claim's first instance type
// unless a failure is scripted (FailNextCreate: insufficient capacity,
// throttling); its answer comes through a Clock timer after the scripted
// latency (a launch slower than its deadline answers kDeadlineExceeded), so
// a test sees it once it advances the ManualClock. Instances can be made to
// vanish (as a spot reclaim does); Delete can fail. Every call is recorded.
// Thread-safety: none.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/cloud_provider.h"

namespace adze::ports::fake {

class FakeCloud final : public CloudProvider {
 public:
  explicit FakeCloud(Clock& clock) : clock_(clock) {}

  // --- scripting
  void FailNextCreate(Error e) { create_failures_.push_back(std::move(e)); }
  void FailNextDelete(Error e) { delete_failures_.push_back(std::move(e)); }
  // How long each Create takes to answer. Default 0 (the next timer tick).
  void SetLatency(model::Duration latency) { latency_ = latency; }
  // An instance that already runs (for a claim a test sets up as launched).
  Instance AddInstance(const std::string& claim, const std::string& instance_type);
  // The instance is gone (terminated by EC2), as Get and List will say.
  void Vanish(const std::string& provider_id);
  // The types GetInstanceTypes returns for every pool.
  void SetInstanceTypes(std::vector<catalog::InstanceType> types) { types_ = std::move(types); }
  void SetDrifted(const std::string& claim, std::string reason) { drifted_[claim] = std::move(reason); }

  const std::vector<std::string>& calls() const { return calls_; }
  size_t CountCalls(const std::string& prefix) const;
  const std::vector<OfferingKey>& marked_unavailable() const { return unavailable_; }

  // --- ports::CloudProvider
  void Create(const model::NodeClaim& claim, model::Duration deadline, LaunchDone done) override;
  Status Delete(const std::string& provider_id) override;
  std::optional<Instance> Get(const std::string& provider_id) const override;
  std::vector<Instance> List() const override;
  Result<catalog::InstanceTypes> GetInstanceTypes(const model::NodePool& pool) override;
  void MarkUnavailable(const OfferingKey& key) override { unavailable_.push_back(key); }
  std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const override;

 private:
  Clock& clock_;
  model::Duration latency_ = 0;
  std::deque<Error> create_failures_;
  std::deque<Error> delete_failures_;
  std::map<std::string, Instance> instances_;  // by provider id
  catalog::InstanceTypes types_;
  std::map<std::string, std::string> drifted_;
  std::vector<OfferingKey> unavailable_;
  mutable std::vector<std::string> calls_;  // Get records itself too
  uint64_t next_id_ = 1;
};

}  // namespace adze::ports::fake
