#include "providers/aws/node_class_hash.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace adze::providers::aws {

Hasher& Hasher::Add(std::string_view s) {
  AddU64(s.size());
  for (unsigned char c : s) Byte(c);
  return *this;
}

Hasher& Hasher::AddU64(uint64_t v) {
  for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(v >> (8 * i)));
  return *this;
}

Hasher& Hasher::AddQuantity(const std::optional<model::Quantity>& q) {
  AddBool(q.has_value());
  if (q) AddU64(static_cast<uint64_t>(q->milli()));
  return *this;
}

Hasher& Hasher::AddResources(const model::ResourceList& rl) {
  AddU64(rl.entries().size());
  for (const auto& [name, q] : rl) Add(name).AddU64(static_cast<uint64_t>(q.milli()));
  return *this;
}

Hasher& Hasher::AddMap(const std::map<std::string, std::string>& m) {
  AddU64(m.size());
  for (const auto& [k, v] : m) Add(k).Add(v);
  return *this;
}

Hasher& Hasher::AddTerms(const std::vector<model::SelectorTerm>& terms) {
  AddU64(terms.size());
  for (const model::SelectorTerm& t : terms) {
    AddMap(t.tags).Add(t.id).Add(t.name).Add(t.owner).Add(t.alias).Add(t.ssm_parameter);
  }
  return *this;
}

uint64_t StaticHash(const model::EC2NodeClass& nc) {
  Hasher h;
  h.Add(model::AmiFamilyName(nc.EffectiveAmiFamily())).Add(nc.role).Add(nc.instance_profile).AddMap(nc.tags);
  h.AddOpt(nc.kubelet.max_pods).AddOpt(nc.kubelet.pods_per_core);
  h.AddResources(nc.kubelet.kube_reserved).AddResources(nc.kubelet.system_reserved);
  h.AddU64(nc.kubelet.eviction_hard.size());
  for (const auto& [signal, t] : nc.kubelet.eviction_hard) {
    h.Add(signal).AddQuantity(t.quantity).AddBool(t.percent.has_value());
    if (t.percent) h.AddU64(static_cast<uint64_t>(std::llround(*t.percent * 1e6)));
  }
  h.AddU64(nc.block_device_mappings.size());
  for (const model::BlockDeviceMapping& m : nc.block_device_mappings) {
    const model::EbsVolume& e = m.ebs;
    h.Add(m.device_name).AddBool(m.root_volume).AddQuantity(e.volume_size).Add(e.volume_type).AddOpt(e.iops);
    h.AddOpt(e.throughput).AddOpt(e.encrypted).Add(e.kms_key_id).AddOpt(e.delete_on_termination);
    h.Add(e.snapshot_id).AddOpt(e.volume_initialization_rate);
  }
  h.AddBool(nc.instance_store_raid0).Add(nc.user_data);
  return h.value();
}

std::string HexId(std::string_view prefix, uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%017" PRIx64, value & uint64_t{0xfffffffffffffff});
  return std::string(prefix) + buf;
}

}  // namespace adze::providers::aws
