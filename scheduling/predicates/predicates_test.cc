// Each predicate on its own: a verdict and, when asked, a reason.
#include <gtest/gtest.h>

#include "scheduling/predicates/host_ports.h"
#include "scheduling/predicates/limits.h"
#include "scheduling/predicates/offerings.h"
#include "scheduling/predicates/registry.h"
#include "scheduling/predicates/requirements.h"
#include "scheduling/predicates/resources.h"
#include "scheduling/predicates/taints.h"
#include "scheduling/solver_test_util.h"

namespace adze::scheduling {
namespace {

using namespace test_util;  // NOLINT

struct Fixture {
  explicit Fixture(model::Pod p) : pod(std::move(p)) {
    space.AddNames(pod.EffectiveRequests());
    space.AddNames({{"nvidia.com/gpu", Q("1")}});
    prepared = PreparePod(pod, 0, space, /*any_prefer_no_schedule=*/true);
    view = {&prepared, &prepared.steps.front()};
  }
  model::Pod pod;
  ResourceSpace space;
  PreparedPod prepared;
  PodView view;
};

TEST(Predicates, RegistryOrderIsFixedAndNamesAreUnique) {
  std::vector<std::string> names;
  for (const Predicate* p : Predicates()) names.emplace_back(p->Name());
  EXPECT_EQ(names, (std::vector<std::string>{"taints", "requirements", "resources", "offerings", "limits", "host-ports",
                                             "topology-spread", "pod-affinity", "pod-anti-affinity"}));
  EXPECT_EQ(FindPredicate("taints"), Predicates()[0]);
  EXPECT_EQ(FindPredicate("nope"), nullptr);
}

TEST(Predicates, Taints) {
  struct Case {
    const char* name;
    model::TaintEffect effect;
    bool tolerate;
    size_t step;  // 0: strict; last: PreferNoSchedule tolerated
    bool ok;
  };
  const Case cases[] = {
      {"NoSchedule not tolerated", model::TaintEffect::kNoSchedule, false, 0, false},
      {"NoSchedule tolerated", model::TaintEffect::kNoSchedule, true, 0, true},
      {"PreferNoSchedule counts at first", model::TaintEffect::kPreferNoSchedule, false, 0, false},
      {"PreferNoSchedule relaxed at the last step", model::TaintEffect::kPreferNoSchedule, false, 1, true},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    model::Pod pod = Pod("a", "1", "1Gi");
    if (tc.tolerate) pod.tolerations.push_back({"gpu", model::Toleration::Op::kExists, "", std::nullopt, std::nullopt});
    Fixture f(pod);
    ASSERT_EQ(f.prepared.steps.size(), 2u);
    PodView view{&f.prepared, &f.prepared.steps[tc.step]};
    std::vector<model::Taint> taints = {{"gpu", "true", tc.effect}};
    Candidate c;
    c.taints = &taints;
    c.explain = true;
    Verdict v = TaintsPredicate().Check(view, c);
    EXPECT_EQ(v.ok, tc.ok);
    if (!v.ok) {
      EXPECT_NE(v.reason.find("gpu=true:"), std::string::npos) << v.reason;
    }
  }
}

TEST(Predicates, RequirementsResourcesPortsOfferingsLimits) {
  model::Pod pod = Pod("a", "2", "1Gi", "1");
  pod.node_selector["topology.kubernetes.io/zone"] = "zone-b";
  pod.containers[0].ports.push_back({80, 8080, "", "TCP"});
  Fixture f(pod);
  catalog::InstanceType type = Type("g", 4, 16, 10, 1.0, {"zone-a"}, 1);

  model::Requirements node = type.requirements;
  Candidate c;
  c.requirements = &node;
  c.explain = true;
  Verdict v = RequirementsPredicate().Check(f.view, c);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("topology.kubernetes.io/zone"), std::string::npos) << v.reason;

  ResourceVector free = f.space.ToVector({{"cpu", Q("1")}, {"memory", Q("8Gi")}, {"pods", Q("5")}});
  Candidate r;
  r.free = &free;
  r.space = &f.space;
  r.explain = true;
  v = ResourcesPredicate().Check(f.view, r);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("needs 2 cpu"), std::string::npos) << v.reason;

  std::vector<model::ContainerPort> used = {{80, 8080, "10.0.0.1", "TCP"}};
  Candidate p;
  p.host_ports = &used;
  p.explain = true;
  EXPECT_FALSE(HostPortsPredicate().Check(f.view, p).ok);
  used[0].protocol = "UDP";
  EXPECT_TRUE(HostPortsPredicate().Check(f.view, p).ok);

  model::Requirements launch;
  launch.Add(model::Requirement::In("topology.kubernetes.io/zone", {"zone-b"}));
  Candidate o;
  o.type = &type;
  o.offering_requirements = &launch;
  o.explain = true;
  v = OfferingsPredicate().Check(f.view, o);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("no available offering for topology.kubernetes.io/zone In [zone-b]"), std::string::npos)
      << v.reason;
  catalog::InstanceType reserved = WithReservation(type, "zone-a", "cr-1", 0);
  EXPECT_FALSE(OfferingUsable(reserved.offerings.back()));  // no instance left
  ReservationCounts left = {{"cr-1", 1}};
  EXPECT_TRUE(OfferingUsable(reserved.offerings.back(), &left));

  ResourceVector limits = f.space.ToVector({{"cpu", Q("3")}});
  for (size_t i = 1; i < kMaxResources; ++i) limits[i] = INT64_MAX / 4;
  ResourceVector capacity = f.space.ToVector(type.capacity);
  Candidate l;
  l.limits = &limits;
  l.capacity = &capacity;
  l.space = &f.space;
  l.explain = true;
  v = LimitsPredicate().Check(f.view, l);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("pool limit on cpu reached (3 left, type has 4)"), std::string::npos) << v.reason;
  l.limits = nullptr;
  l.nodes_limit_reached = true;
  EXPECT_EQ(LimitsPredicate().Check(f.view, l).reason, "NodePool limit on nodes reached");
}

}  // namespace
}  // namespace adze::scheduling
