#include "ports/fake/fake_cloud.h"

#include <algorithm>
#include <cstdio>

#include "model/labels.h"

namespace adze::ports::fake {

size_t FakeCloud::CountCalls(const std::string& prefix) const {
  return static_cast<size_t>(
      std::count_if(calls_.begin(), calls_.end(), [&](const std::string& c) { return c.starts_with(prefix); }));
}

void FakeCloud::Vanish(const std::string& provider_id) {
  if (auto it = instances_.find(provider_id); it != instances_.end()) it->second.terminated = true;
}

Instance FakeCloud::AddInstance(const std::string& claim, const std::string& instance_type) {
  Instance i;
  char id[32];
  std::snprintf(id, sizeof id, "i-%017llx", static_cast<unsigned long long>(next_id_++));
  i.id = id;
  i.zone = "us-east-1a";
  i.provider_id = "aws:///" + i.zone + "/" + i.id;
  i.instance_type = instance_type;
  i.capacity_type = "on-demand";
  i.price_per_hour = 0.096;
  i.launched_at = clock_.Now();
  i.node_claim = claim;
  instances_[i.provider_id] = i;
  return i;
}

void FakeCloud::Create(const model::NodeClaim& claim, model::Duration deadline, LaunchDone done) {
  calls_.push_back("Create " + claim.meta.name);
  Time answer_at = clock_.Now() + latency_;
  Result<Instance> result = Error::Internal("unset");
  if (answer_at > deadline) {
    answer_at = deadline;  // the caller stops waiting then
    result = Error::DeadlineExceeded("CreateFleet for " + claim.meta.name + " did not answer before its deadline");
  } else if (!create_failures_.empty()) {
    result = std::move(create_failures_.front());
    create_failures_.pop_front();
  } else {
    std::string type = "m6i.large";
    if (const model::Requirement* r = claim.requirements.Find(model::label::kInstanceType); r && !r->values().empty()) {
      type = r->values().front();
    }
    result = AddInstance(claim.meta.name, type);
  }
  clock_.At(answer_at, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

Status FakeCloud::Delete(const std::string& provider_id) {
  calls_.push_back("Delete " + provider_id);
  if (!delete_failures_.empty()) {
    Error e = std::move(delete_failures_.front());
    delete_failures_.pop_front();
    return e;
  }
  auto it = instances_.find(provider_id);
  if (it == instances_.end() || it->second.terminated) return Error::NotFound("no instance " + provider_id);
  it->second.terminated = true;
  return OkStatus();
}

std::optional<Instance> FakeCloud::Get(const std::string& provider_id) const {
  calls_.push_back("Get " + provider_id);
  auto it = instances_.find(provider_id);
  if (it == instances_.end()) return std::nullopt;
  return it->second;
}

std::vector<Instance> FakeCloud::List() const {
  std::vector<Instance> out;
  for (const auto& [id, i] : instances_) {
    if (!i.terminated) out.push_back(i);
  }
  return out;
}

Result<catalog::InstanceTypes> FakeCloud::GetInstanceTypes(const model::NodePool& pool) {
  calls_.push_back("GetInstanceTypes " + pool.meta.name);
  return types_;
}

std::optional<std::string> FakeCloud::IsDrifted(const model::NodeClaim& claim) const {
  auto it = drifted_.find(claim.meta.name);
  if (it == drifted_.end()) return std::nullopt;
  return it->second;
}

}  // namespace adze::ports::fake
