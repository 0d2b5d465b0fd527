// Table-driven tests of VolumeTopology: which alternatives a pod's PVCs give,
// and which pods it turns away (spec §2.7 "Volumes").
#include "scheduling/volume_topology.h"

#include <gtest/gtest.h>

#include "model/labels.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using test_util::VolumeClaim;
using test_util::ZoneTerm;

model::PersistentVolume Volume(const std::string& name, std::vector<model::Requirements> terms, bool local = false) {
  model::PersistentVolume v;
  v.meta.name = name;
  v.node_affinity = std::move(terms);
  v.node_local = local;
  return v;
}

model::StorageClass Class(const std::string& name, model::VolumeBindingMode mode,
                          std::vector<model::Requirements> topologies = {}) {
  model::StorageClass s;
  s.meta.name = name;
  s.provisioner = "ebs.csi.aws.com";
  s.volume_binding_mode = mode;
  s.allowed_topologies = std::move(topologies);
  return s;
}

TEST(VolumeTopologyTest, Rules) {
  using model::VolumeBindingMode;
  model::Requirements host_a;
  host_a.Add(model::Requirement::In(std::string(model::label::kHostname), {"node-1"}));
  model::Requirements zone_and_arch = ZoneTerm({"zone-a"});
  zone_and_arch.Add(model::Requirement::In(std::string(model::label::kArch), {"arm64"}));
  const std::vector<model::PersistentVolumeClaim> claims = {
      VolumeClaim("bound-a", "gp3", "pv-a"),         VolumeClaim("bound-b", "gp3", "pv-b"),
      VolumeClaim("bound-any", "gp3", "pv-any"),     VolumeClaim("bound-two", "gp3", "pv-two"),
      VolumeClaim("bound-local", "", "pv-local"),    VolumeClaim("bound-mixed", "gp3", "pv-mixed"),
      VolumeClaim("wait", "wait-c", ""),             VolumeClaim("wait-open", "wait-any", ""),
      VolumeClaim("immediate", "gp3", ""),           VolumeClaim("no-class", "", ""),
      VolumeClaim("lost", "gp3", "pv-missing"),      VolumeClaim("unknown-class", "nope", ""),
  };
  const std::vector<model::PersistentVolume> volumes = {
      Volume("pv-a", {ZoneTerm({"zone-a"})}),
      Volume("pv-b", {ZoneTerm({"zone-b"})}),
      Volume("pv-any", {}),
      Volume("pv-two", {ZoneTerm({"zone-a"}), ZoneTerm({"zone-b"})}),
      Volume("pv-local", {host_a}, /*local=*/true),
      Volume("pv-mixed", {zone_and_arch, ZoneTerm({"zone-c"})}),
  };
  const std::vector<model::StorageClass> classes = {
      Class("gp3", VolumeBindingMode::kImmediate),
      Class("wait-c", VolumeBindingMode::kWaitForFirstConsumer, {ZoneTerm({"zone-c"})}),
      Class("wait-any", VolumeBindingMode::kWaitForFirstConsumer),
  };
  const VolumeTopology topology(claims, volumes, classes);

  struct Case {
    const char* name;
    std::vector<std::string> claims;
    std::vector<std::string> alternatives;  // ToString of each
    std::string error;                      // a part of it; empty: none
  };
  const Case cases[] = {
      {"no volumes", {}, {}, ""},
      {"bound PV in one zone", {"bound-a"}, {"topology.kubernetes.io/zone In [zone-a]"}, ""},
      {"PV without node affinity", {"bound-any"}, {}, ""},
      {"PV terms on one key merge", {"bound-two"}, {"topology.kubernetes.io/zone In [zone-a zone-b]"}, ""},
      {"PV terms on several keys stay apart",
       {"bound-mixed"},
       {"kubernetes.io/arch In [arm64], topology.kubernetes.io/zone In [zone-a]",
        "topology.kubernetes.io/zone In [zone-c]"},
       ""},
      {"local PV drops the hostname", {"bound-local"}, {}, ""},
      {"two volumes in one zone", {"bound-a", "bound-two"}, {"topology.kubernetes.io/zone In [zone-a]"}, ""},
      {"two volumes in different zones", {"bound-a", "bound-b"}, {}, "cannot be used from one node"},
      {"WaitForFirstConsumer with allowedTopologies", {"wait"}, {"topology.kubernetes.io/zone In [zone-c]"}, ""},
      {"WaitForFirstConsumer without allowedTopologies", {"wait-open"}, {}, ""},
      {"Immediate unbound", {"immediate"}, {}, "binds Immediately"},
      {"unbound without class", {"no-class"}, {}, "names no StorageClass"},
      {"missing PVC", {"nope"}, {}, "PersistentVolumeClaim default/nope not found"},
      {"missing PV", {"lost"}, {}, "PersistentVolume pv-missing, which is not found"},
      {"missing StorageClass", {"unknown-class"}, {}, "StorageClass nope, which is not found"},
  };
  for (const Case& c : cases) {
    model::Pod pod;
    pod.meta.name = "p";
    pod.meta.namespace_ = "default";
    pod.volume_claims = c.claims;
    VolumeRequirements v = topology.For(pod);
    std::vector<std::string> got;
    for (const auto& a : v.alternatives) got.push_back(a.ToString());
    EXPECT_EQ(got, c.alternatives) << c.name;
    if (c.error.empty()) {
      EXPECT_EQ(v.error, "") << c.name;
    } else {
      EXPECT_NE(v.error.find(c.error), std::string::npos) << c.name << ": " << v.error;
    }
  }
}

TEST(VolumeTopologyTest, ClaimsAreLookedUpInThePodsNamespace) {
  model::PersistentVolumeClaim claim = VolumeClaim("data", "wait", "");
  claim.meta.namespace_ = "shop";
  const std::vector<model::PersistentVolumeClaim> claims = {claim};
  const std::vector<model::StorageClass> classes = {
      Class("wait", model::VolumeBindingMode::kWaitForFirstConsumer, {ZoneTerm({"zone-a"})})};
  const std::vector<model::PersistentVolume> volumes;
  const VolumeTopology topology(claims, volumes, classes);
  model::Pod pod;
  pod.volume_claims = {"data"};
  pod.meta.namespace_ = "default";
  EXPECT_EQ(topology.For(pod).error, "PersistentVolumeClaim default/data not found");
  pod.meta.namespace_ = "shop";
  EXPECT_EQ(topology.For(pod).error, "");
  EXPECT_EQ(topology.For(pod).alternatives.size(), 1u);
}

}  // namespace
}  // namespace adze::scheduling
