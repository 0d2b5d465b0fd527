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

Result<Instance> FakeCloud::Create(const model::NodeClaim& claim) {
  calls_.push_back("Create " + claim.meta.name);
  if (!create_failures_.empty()) {
    Error e = std::move(create_failures_.front());
    create_failures_.pop_front();
    return e;
  }
  Instance i;
  char id[32];
  std::snprintf(id, sizeof id, "i-%017llx", static_cast<unsigned long long>(next_id_++));
  i.id = id;
  i.zone = "us-east-1a";
  i.provider_id = "aws:///" + i.zone + "/" + i.id;
  i.instance_type = "m6i.large";
  if (const model::Requirement* r = claim.requirements.Find(model::label::kInstanceType); r && !r->values().empty()) {
    i.instance_type = r->values().front();
  }
  i.capacity_type = "on-demand";
  i.price_per_hour = 0.096;
  i.launched_at = clock_.Now();
  i.node_claim = claim.meta.name;
  instances_[i.provider_id] = i;
  return i;
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

Result<std::vector<catalog::InstanceType>> FakeCloud::GetInstanceTypes(const model::NodePool& pool) {
  calls_.push_back("GetInstanceTypes " + pool.meta.name);
  return types_;
}

std::optional<std::string> FakeCloud::IsDrifted(const model::NodeClaim& claim) const {
  auto it = drifted_.find(claim.meta.name);
  if (it == drifted_.end()) return std::nullopt;
  return it->second;
}

}  // namespace adze::ports::fake
