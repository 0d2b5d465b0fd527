// Builders for solver tests: synthetic instance types, pools and pods.
#pragma once

#include <string>
#include <vector>

#include "scheduling/solver.h"

namespace adze::scheduling::test_util {

inline model::Quantity Q(const std::string& s) { return *model::Quantity::Parse(s); }

// A type with cpu vCPUs, mem_gib GiB, room for `pods` pods, `gpus` NVIDIA GPUs,
// offered on demand (and spot at 40%) in the given zones at `price` per hour.
inline catalog::InstanceType Type(const std::string& name, int cpu, int mem_gib, int pods, double price,
                                  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"}, int gpus = 0) {
  catalog::InstanceType t;
  t.name = name;
  t.capacity.Set("cpu", model::Quantity::FromUnits(cpu));
  t.capacity.Set("memory", model::Quantity::MiB(int64_t{mem_gib} * 1024));
  t.capacity.Set("pods", model::Quantity::FromUnits(pods));
  if (gpus) t.capacity.Set("nvidia.com/gpu", model::Quantity::FromUnits(gpus));
  t.requirements.Add(model::Requirement::In(std::string(model::label::kInstanceType), {name}));
  t.requirements.Add(model::Requirement::In(std::string(model::label::kArch), {"amd64"}));
  t.requirements.Add(model::Requirement::In(std::string(model::label::kZone), zones));
  t.requirements.Add(model::Requirement::In(std::string(model::label::kCapacityType), {"spot", "on-demand"}));
  if (gpus) {
    t.requirements.Add(model::Requirement::In(std::string(model::label::kInstanceGpuCount), {std::to_string(gpus)}));
  } else {
    t.requirements.Add(model::Requirement::DoesNotExist(std::string(model::label::kInstanceGpuCount)));
  }
  for (const std::string& z : zones) {
    t.offerings.push_back({z, z + "-id", "on-demand", price, true, "", 0});
    t.offerings.push_back({z, z + "-id", "spot", price * 0.4, true, "", 0});
  }
  return t;
}

// Adds a reserved offering (capacity reservation `id` with `count` instances
// left) in zone, and lets the type's capacity-type requirement say so.
inline catalog::InstanceType WithReservation(catalog::InstanceType t, const std::string& zone, const std::string& id,
                                             int32_t count, double price = 0.0000001) {
  t.offerings.push_back({zone, zone + "-id", "reserved", price, true, id, count});
  model::Requirements reqs;
  for (const model::Requirement& r : t.requirements.All()) {
    if (r.key() == model::label::kCapacityType) {
      reqs.Add(model::Requirement::In(r.key(), {"on-demand", "reserved", "spot"}));
    } else {
      reqs.Add(r);
    }
  }
  t.requirements = reqs;
  return t;
}

inline PoolInput Pool(const std::string& name, std::vector<catalog::InstanceType> types, int weight = 0) {
  PoolInput p;
  p.pool.meta.name = name;
  p.pool.weight = weight;
  p.instance_types = std::move(types);
  return p;
}

inline model::Pod Pod(const std::string& name, const std::string& cpu, const std::string& mem,
                      const std::string& gpus = "") {
  model::Pod p;
  p.meta.name = name;
  p.meta.namespace_ = "default";
  p.meta.uid = name;
  model::Container c;
  c.name = "main";
  c.requests.Set("cpu", Q(cpu));
  c.requests.Set("memory", Q(mem));
  if (!gpus.empty()) c.requests.Set("nvidia.com/gpu", Q(gpus));
  p.containers.push_back(c);
  return p;
}

// zone In [zones], as a volume's node-affinity term or allowed topology.
inline model::Requirements ZoneTerm(std::vector<std::string> zones) {
  model::Requirements r;
  r.Add(model::Requirement::In(std::string(model::label::kZone), std::move(zones)));
  return r;
}

// A PVC in namespace "default"; bound when volume is set.
inline model::PersistentVolumeClaim VolumeClaim(const std::string& name, const std::string& storage_class,
                                                const std::string& volume) {
  model::PersistentVolumeClaim c;
  c.meta.name = name;
  c.meta.namespace_ = "default";
  c.storage_class_name = storage_class;
  c.volume_name = volume;
  return c;
}

inline std::vector<std::string> TypeNames(const NewClaim& c) {
  std::vector<std::string> out;
  for (const auto* t : c.instance_types) out.push_back(t->name);
  return out;
}

}  // namespace adze::scheduling::test_util
