// Table-driven tests for two rules of spec §2.7-2.8: DaemonSet host ports in
// daemon-overhead groups (a pod cannot join a new node whose daemons hold a
// port it needs), and volume topology (PVCs constrain the node, not spread
// counting).
#include <gtest/gtest.h>

#include "scheduling/solver.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

const std::string kZone(model::label::kZone);

model::ContainerPort Port(int32_t port, const std::string& ip = "", const std::string& protocol = "TCP") {
  model::ContainerPort p;
  p.container_port = port;
  p.host_port = port;
  p.host_ip = ip;
  p.protocol = protocol;
  return p;
}

model::Pod WithPort(model::Pod p, model::ContainerPort port) {
  p.containers[0].ports.push_back(std::move(port));
  return p;
}

// A DaemonSet in kube-system whose pod holds `port`; with only_type set, its
// pods run only on that instance type.
model::DaemonSet Daemon(const std::string& name, model::ContainerPort port, const std::string& only_type = "") {
  model::DaemonSet ds;
  ds.meta.name = name;
  ds.meta.namespace_ = "kube-system";
  ds.pod_template = WithPort(Pod(name, "100m", "64Mi"), std::move(port));
  ds.pod_template.meta.owner = model::OwnerReference{"DaemonSet", name, true};
  if (!only_type.empty()) ds.pod_template.node_selector[std::string(model::label::kInstanceType)] = only_type;
  return ds;
}

SolverInput TwoTypes() {
  SolverInput in;
  in.pools.push_back(Pool("default", {Type("small", 2, 8, 20, 0.1), Type("large", 8, 32, 50, 0.4)}));
  return in;
}

const NewClaim* ClaimOf(const Plan& plan, size_t pod) {
  for (const NewClaim& c : plan.claims) {
    if (std::find(c.pods.begin(), c.pods.end(), pod) != c.pods.end()) return &c;
  }
  return nullptr;
}

std::string ReasonOf(const Plan& plan, size_t pod) {
  for (const Unschedulable& u : plan.unschedulable) {
    if (u.pod == pod) return u.reason;
  }
  return "";
}

// Pod 0's claim when placed is expected (else null, with a failure when it
// is missing); otherwise checks that it is unschedulable with a reason
// containing `reason`, and returns null.
const NewClaim* ExpectClaimOrReason(const Plan& plan, bool placed, const std::string& reason, const char* name) {
  const NewClaim* claim = ClaimOf(plan, 0);
  if (placed) {
    EXPECT_NE(claim, nullptr) << name << ": " << ReasonOf(plan, 0);
    return claim;
  }
  EXPECT_EQ(claim, nullptr) << name;
  EXPECT_NE(ReasonOf(plan, 0).find(reason), std::string::npos) << name << ": " << ReasonOf(plan, 0);
  return nullptr;
}

TEST(DaemonHostPortsTest, GroupsWithAClashAreExcluded) {
  struct Case {
    const char* name;
    std::vector<model::DaemonSet> daemons;
    model::ContainerPort wanted;
    std::vector<std::string> types;  // the pod's claim's options; empty: unschedulable
    std::string reason;              // part of the unschedulable reason
  };
  const Case cases[] = {
      {"no daemon ports", {}, Port(80), {"small", "large"}, ""},
      {"daemon on every type holds the port",
       {Daemon("node-exporter", Port(9100))},
       Port(9100),
       {},
       "host port 9100/TCP is held by DaemonSet kube-system/node-exporter on every instance type left"},
      {"daemon on one type excludes only that group",
       {Daemon("proxy", Port(80), "small")},
       Port(80),
       {"large"},
       ""},
      {"other port", {Daemon("node-exporter", Port(9100))}, Port(9101), {"small", "large"}, ""},
      {"other protocol", {Daemon("dns", Port(53, "", "UDP"))}, Port(53), {"small", "large"}, ""},
      {"different specific IPs", {Daemon("d", Port(80, "10.0.0.1"))}, Port(80, "10.0.0.2"), {"small", "large"}, ""},
      {"0.0.0.0 clashes with a specific IP", {Daemon("d", Port(80, "0.0.0.0"))}, Port(80, "10.0.0.2"), {}, "80/TCP"},
      {":: clashes with a specific IP", {Daemon("d", Port(80, "10.0.0.1"))}, Port(80, "::"), {}, "80/TCP"},
  };
  for (const Case& c : cases) {
    for (Packer packer : {Packer::kKarpenter, Packer::kAdze}) {
      SolverInput in = TwoTypes();
      in.daemon_sets = c.daemons;
      in.pods.push_back(WithPort(Pod("web", "500m", "1Gi"), c.wanted));
      SolverOptions options;
      options.packer = packer;
      Plan plan = Solve(in, options);
      if (const NewClaim* claim = ExpectClaimOrReason(plan, !c.types.empty(), c.reason, c.name)) {
        EXPECT_EQ(TypeNames(*claim), c.types) << c.name;
      }
    }
  }
}

TEST(DaemonHostPortsTest, ClaimNarrowsToTypesWithoutTheClash) {
  // A plain pod opens a claim that could be small or large; the port pod
  // joins it and drops the small option, whose daemon holds its port.
  SolverInput in = TwoTypes();
  in.daemon_sets = {Daemon("proxy", Port(80), "small")};
  in.pods.push_back(Pod("plain", "1", "1Gi"));
  in.pods.push_back(WithPort(Pod("web", "500m", "1Gi"), Port(80)));
  SolverOptions options;
  options.packer = Packer::kKarpenter;
  Plan plan = Solve(in, options);
  ASSERT_EQ(plan.claims.size(), 1u);
  EXPECT_EQ(plan.claims[0].pods.size(), 2u);
  EXPECT_EQ(TypeNames(plan.claims[0]), (std::vector<std::string>{"large"}));
}

TEST(DaemonHostPortsTest, BoundDaemonPodsHoldPortsOnExistingNodes) {
  SolverInput in = TwoTypes();
  NodeInput node;
  node.node.meta.name = "node-1";
  node.node.meta.labels = {{kZone, "zone-a"}};
  node.node.allocatable = {{"cpu", Q("4")}, {"memory", Q("16Gi")}, {"pods", Q("110")}};
  model::Pod daemon_pod = WithPort(Pod("node-exporter-x", "100m", "64Mi"), Port(9100));
  daemon_pod.meta.owner = model::OwnerReference{"DaemonSet", "node-exporter", true};
  daemon_pod.node_name = "node-1";
  node.pods.push_back(daemon_pod);
  in.nodes.push_back(node);
  in.pods.push_back(WithPort(Pod("web", "500m", "1Gi"), Port(9100)));
  in.pods.push_back(WithPort(Pod("api", "500m", "1Gi"), Port(8080)));
  Plan plan = Solve(in);
  ASSERT_EQ(plan.placed.size(), 1u);
  EXPECT_EQ(plan.placed[0].pod, 1u);  // api fits beside the daemon
  EXPECT_NE(ClaimOf(plan, 0), nullptr);  // web needs a new node
}

TEST(DaemonHostPortsTest, ExplainNamesTheDaemon) {
  SolverInput in = TwoTypes();
  in.daemon_sets = {Daemon("proxy", Port(80), "small")};
  in.pods.push_back(WithPort(Pod("web", "500m", "1Gi"), Port(80)));
  std::vector<Rejection> rejections = Explain(in, 0);
  ASSERT_EQ(rejections.size(), 2u);
  for (const Rejection& r : rejections) {
    if (r.instance_type == "small") {
      EXPECT_EQ(r.constraint, "host-ports");
      EXPECT_EQ(r.reason, "host port 80/TCP already in use by DaemonSet kube-system/proxy");
    } else {
      EXPECT_EQ(r.instance_type, "large");
      EXPECT_EQ(r.reason, "");
    }
  }
}

// --- Volume topology.

// Storage for the volume tests: PVCs bound to PVs in zone-a and zone-b, one
// waiting for its first consumer under a class limited to zone-c, one under
// an Immediate class.
void AddStorage(SolverInput& in) {
  in.volume_claims = {VolumeClaim("data-a", "gp3", "pv-a"), VolumeClaim("data-b", "gp3", "pv-b"),
                      VolumeClaim("scratch-c", "zonal-c", ""), VolumeClaim("immediate", "gp3", "")};
  model::PersistentVolume a, b;
  a.meta.name = "pv-a";
  a.node_affinity = {ZoneTerm({"zone-a"})};
  b.meta.name = "pv-b";
  b.node_affinity = {ZoneTerm({"zone-b"})};
  in.volumes = {a, b};
  model::StorageClass gp3, zonal;
  gp3.meta.name = "gp3";
  zonal.meta.name = "zonal-c";
  zonal.volume_binding_mode = model::VolumeBindingMode::kWaitForFirstConsumer;
  zonal.allowed_topologies = {ZoneTerm({"zone-c"})};
  in.storage_classes = {gp3, zonal};
}

TEST(VolumeTopologySolverTest, ClaimsFollowTheVolumes) {
  struct Case {
    const char* name;
    std::vector<std::string> claims;
    std::vector<std::string> zones;  // of the pod's claim; empty: unschedulable
    std::string reason;
  };
  const Case cases[] = {
      {"no volumes", {}, {"zone-a", "zone-b", "zone-c"}, ""},
      {"zonal PV", {"data-b"}, {"zone-b"}, ""},
      {"WaitForFirstConsumer allowedTopologies", {"scratch-c"}, {"zone-c"}, ""},
      {"two volumes in different zones", {"data-a", "data-b"}, {}, "its volumes cannot be used from one node"},
      {"Immediate unbound PVC", {"immediate"}, {}, "binds Immediately"},
      {"missing PVC", {"gone"}, {}, "PersistentVolumeClaim default/gone not found"},
  };
  for (const Case& c : cases) {
    for (Packer packer : {Packer::kKarpenter, Packer::kAdze}) {
      SolverInput in = TwoTypes();
      AddStorage(in);
      model::Pod pod = Pod("db", "500m", "1Gi");
      pod.volume_claims = c.claims;
      in.pods.push_back(pod);
      SolverOptions options;
      options.packer = packer;
      Plan plan = Solve(in, options);
      if (const NewClaim* claim = ExpectClaimOrReason(plan, !c.zones.empty(), c.reason, c.name)) {
        EXPECT_EQ(claim->zones, c.zones) << c.name;
      }
    }
  }
}

TEST(VolumeTopologySolverTest, PodsShareAClaimOnlyInTheVolumesZone) {
  // A plain pod opens a claim; the volume pod may join it (narrowing it to
  // its zone); a pod whose volume is in another zone needs a claim of its own.
  SolverInput in = TwoTypes();
  AddStorage(in);
  in.pods.push_back(Pod("plain", "1", "1Gi"));
  model::Pod a = Pod("db-a", "500m", "1Gi");
  a.volume_claims = {"data-a"};
  model::Pod b = Pod("db-b", "500m", "1Gi");
  b.volume_claims = {"data-b"};
  in.pods.push_back(a);
  in.pods.push_back(b);
  SolverOptions options;
  options.packer = Packer::kKarpenter;
  Plan plan = Solve(in, options);
  ASSERT_EQ(plan.claims.size(), 2u);
  EXPECT_EQ(ClaimOf(plan, 0), ClaimOf(plan, 1));
  EXPECT_EQ(ClaimOf(plan, 0)->zones, (std::vector<std::string>{"zone-a"}));
  EXPECT_EQ(ClaimOf(plan, 2)->zones, (std::vector<std::string>{"zone-b"}));
}

// An existing node "node-<zone>" in zone with cpu to spare.
NodeInput ZonalNode(const std::string& zone, const std::string& cpu) {
  NodeInput n;
  n.node.meta.name = "node-" + zone;
  n.node.meta.labels = {{kZone, zone}};
  n.node.allocatable = {{"cpu", Q(cpu)}, {"memory", Q("16Gi")}, {"pods", Q("110")}};
  return n;
}

TEST(VolumeTopologySolverTest, ExistingNodesOutsideTheZoneAreSkipped) {
  SolverInput in = TwoTypes();
  AddStorage(in);
  for (const char* zone : {"zone-a", "zone-b"}) in.nodes.push_back(ZonalNode(zone, "4"));
  model::Pod pod = Pod("db", "500m", "1Gi");
  pod.volume_claims = {"data-b"};
  in.pods.push_back(pod);
  Plan plan = Solve(in);
  ASSERT_EQ(plan.placed.size(), 1u);
  EXPECT_EQ(plan.placed[0].node, "node-zone-b");
}

TEST(VolumeTopologySolverTest, SpreadCountingIgnoresVolumes) {
  // Zone spread (maxSkew 1, nodeAffinityPolicy Honor) over zones a, b, c with
  // matching pods bound in a and b. The pod's volume is in zone-b. Counting
  // over the pod's own affinity (all zones), the global minimum is 0 (zone-c),
  // so zone-b (count 1) is not eligible and the pod cannot be placed. Were the
  // volume part of the pod's affinity, only zone-b would count and it would fit.
  for (bool bound_in_b : {true, false}) {
    SolverInput in = TwoTypes();
    AddStorage(in);
    for (const char* zone : {"zone-a", "zone-b"}) {
      NodeInput n = ZonalNode(zone, "100m");  // no room for the pod
      if (bound_in_b || std::string(zone) == "zone-a") {
        model::Pod bound = Pod(std::string("bound-") + zone, "10m", "1Mi");
        bound.meta.labels = {{"app", "db"}};
        bound.node_name = n.node.meta.name;
        n.pods.push_back(bound);
      }
      in.nodes.push_back(n);
    }
    model::Pod pod = Pod("db", "500m", "1Gi");
    pod.meta.labels = {{"app", "db"}};
    pod.volume_claims = {"data-b"};
    model::TopologySpreadConstraint spread;
    spread.topology_key = kZone;
    spread.max_skew = 1;
    spread.label_selector = model::LabelSelector{{{"app", "db"}}, {}};
    pod.topology_spread.push_back(spread);
    in.pods.push_back(pod);
    Plan plan = Solve(in);
    if (bound_in_b) {
      EXPECT_EQ(ClaimOf(plan, 0), nullptr);
      EXPECT_EQ(plan.unschedulable.size(), 1u);
    } else {
      ASSERT_NE(ClaimOf(plan, 0), nullptr) << ReasonOf(plan, 0);
      EXPECT_EQ(ClaimOf(plan, 0)->zones, (std::vector<std::string>{"zone-b"}));
    }
  }
}

TEST(VolumeTopologySolverTest, ExplainSaysWhyVolumesRuleAPodOut) {
  SolverInput in = TwoTypes();
  AddStorage(in);
  model::Pod pod = Pod("db", "500m", "1Gi");
  pod.volume_claims = {"immediate"};
  in.pods.push_back(pod);
  std::vector<Rejection> rejections = Explain(in, 0);
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].constraint, "volumes");
  EXPECT_NE(rejections[0].reason.find("binds Immediately"), std::string::npos);

  // A zonal volume: types offered only elsewhere are ruled out.
  in = SolverInput();
  in.pools.push_back(Pool("default", {Type("small", 2, 8, 20, 0.1, {"zone-a"}), Type("large", 8, 32, 50, 0.4)}));
  AddStorage(in);
  pod.volume_claims = {"data-b"};
  in.pods.push_back(pod);
  rejections = Explain(in, 0);
  ASSERT_EQ(rejections.size(), 2u);
  for (const Rejection& r : rejections) {
    if (r.instance_type == "small") {
      EXPECT_EQ(r.constraint, "requirements");
    } else {
      EXPECT_EQ(r.reason, "");
    }
  }
}

}  // namespace
}  // namespace adze::scheduling
