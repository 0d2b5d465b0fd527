#include "model/pod.h"

#include <gtest/gtest.h>

#include <string>

namespace adze::model {
namespace {

Quantity Q(const std::string& s) {
  Result<Quantity> r = Quantity::Parse(s);
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : Quantity();
}

Container C(ResourceList requests, bool restart_always = false) {
  Container c;
  c.requests = std::move(requests);
  c.restart_always = restart_always;
  return c;
}

TEST(PodEffectiveRequestsTest, EmptyPodCountsOnePod) {
  Pod pod;
  EXPECT_EQ(pod.EffectiveRequests(), (ResourceList{{"pods", Q("1")}}));
  EXPECT_TRUE(pod.EffectiveRequests().Has("pods"));
}

TEST(PodEffectiveRequestsTest, SumsAppContainers) {
  Pod pod;
  pod.containers = {C({{"cpu", Q("500m")}, {"memory", Q("1Gi")}}), C({{"cpu", Q("250m")}, {"nvidia.com/gpu", Q("1")}})};
  EXPECT_EQ(pod.EffectiveRequests(),
            (ResourceList{{"cpu", Q("750m")}, {"memory", Q("1Gi")}, {"nvidia.com/gpu", Q("1")}, {"pods", Q("1")}}));
}

TEST(PodEffectiveRequestsTest, OneContainerIsItsRequestsWithOverheadAndAPod) {
  Pod pod;
  pod.containers = {C({{"cpu", Q("2")}, {"memory", Q("6Gi")}, {"pods", Q("3")}})};
  pod.overhead = {{"cpu", Q("100m")}, {"ephemeral-storage", Q("1Gi")}};
  // A container that asks for "pods" still counts as one pod.
  EXPECT_EQ(pod.EffectiveRequests(), (ResourceList{{"cpu", Q("2100m")},
                                                   {"ephemeral-storage", Q("1Gi")},
                                                   {"memory", Q("6Gi")},
                                                   {"pods", Q("1")}}));
}

TEST(PodEffectiveRequestsTest, LargestInitContainerWinsPerResource) {
  Pod pod;
  pod.containers = {C({{"cpu", Q("1")}, {"memory", Q("1Gi")}}), C({{"cpu", Q("1")}})};
  pod.init_containers = {C({{"cpu", Q("3")}}), C({{"memory", Q("4Gi")}}), C({{"cpu", Q("500m")}})};
  // cpu: max(3, 1+1) = 3; memory: max(4Gi, 1Gi) = 4Gi.
  EXPECT_EQ(pod.EffectiveRequests(), (ResourceList{{"cpu", Q("3")}, {"memory", Q("4Gi")}, {"pods", Q("1")}}));
  // Init containers run one at a time: they are not summed.
  pod.init_containers = {C({{"cpu", Q("1500m")}}), C({{"cpu", Q("1500m")}})};
  EXPECT_EQ(pod.EffectiveRequests().Get("cpu"), Q("2"));
}

TEST(PodEffectiveRequestsTest, OverheadIsAddedOnTop) {
  Pod pod;
  pod.containers = {C({{"cpu", Q("1")}})};
  pod.init_containers = {C({{"cpu", Q("2")}})};
  pod.overhead = {{"cpu", Q("100m")}, {"memory", Q("64Mi")}};
  EXPECT_EQ(pod.EffectiveRequests(), (ResourceList{{"cpu", Q("2100m")}, {"memory", Q("64Mi")}, {"pods", Q("1")}}));
}

TEST(PodEffectiveRequestsTest, SidecarsCountInTheSumAndUnderLaterInitContainers) {
  Pod pod;
  pod.containers = {C({{"cpu", Q("1")}})};
  pod.init_containers = {
      C({{"cpu", Q("2")}}),                                  // before the sidecar: runs alone
      C({{"cpu", Q("500m")}, {"memory", Q("1Gi")}}, true),  // sidecar: runs for the pod's life
      C({{"cpu", Q("2")}}),                                  // after: runs beside the sidecar (2.5)
  };
  // cpu: max(init peak 2.5, app 1 + sidecar 0.5) = 2.5; memory from the sidecar.
  EXPECT_EQ(pod.EffectiveRequests(), (ResourceList{{"cpu", Q("2500m")}, {"memory", Q("1Gi")}, {"pods", Q("1")}}));
  pod.containers = {C({{"cpu", Q("4")}})};
  EXPECT_EQ(pod.EffectiveRequests().Get("cpu"), Q("4500m"));
}

TEST(PodEffectiveRequestsTest, SidecarsAloneAreSummed) {
  Pod pod;
  pod.init_containers = {C({{"cpu", Q("1")}}, true), C({{"cpu", Q("1")}}, true)};
  EXPECT_EQ(pod.EffectiveRequests().Get("cpu"), Q("2"));
}

TEST(PodEffectiveRequestsTest, PodsIsAlwaysOne) {
  Pod pod;
  pod.containers = {C({{"pods", Q("5")}}), C({{"cpu", Q("1")}})};
  pod.overhead = {{"pods", Q("3")}};
  EXPECT_EQ(pod.EffectiveRequests().Get("pods"), Q("1"));
}

Pod WithAnnotation(const std::string& value, Duration created) {
  Pod pod;
  pod.meta.annotations.emplace(std::string(label::kDoNotDisrupt), value);
  pod.meta.creation_time = created;
  return pod;
}

TEST(PodDoNotDisruptTest, AbsentMeansNotProtected) {
  Pod pod;
  EXPECT_FALSE(pod.DoNotDisruptActive(0));
  pod.meta.annotations.emplace("other", "true");
  EXPECT_FALSE(pod.DoNotDisruptActive(0));
}

TEST(PodDoNotDisruptTest, TrueProtectsForever) {
  Pod pod = WithAnnotation("true", 10 * kSecond);
  EXPECT_TRUE(pod.DoNotDisruptActive(0));
  EXPECT_TRUE(pod.DoNotDisruptActive(10'000 * kHour));
}

TEST(PodDoNotDisruptTest, DurationProtectsUntilThePodIsThatOld) {
  const Duration created = 5 * kMinute;
  Pod pod = WithAnnotation("1h", created);
  EXPECT_TRUE(pod.DoNotDisruptActive(created));
  EXPECT_TRUE(pod.DoNotDisruptActive(created + kHour - 1));
  EXPECT_FALSE(pod.DoNotDisruptActive(created + kHour));
  EXPECT_FALSE(pod.DoNotDisruptActive(created + 2 * kHour));
  EXPECT_TRUE(WithAnnotation("90s", 0).DoNotDisruptActive(89 * kSecond));
  EXPECT_FALSE(WithAnnotation("90s", 0).DoNotDisruptActive(90 * kSecond));
}

TEST(PodDoNotDisruptTest, BadValuesProtectNothing) {
  for (const char* v : {"false", "True", "TRUE", "yes", "", "1", "abc", "0s", "0", "-1h", "1d"}) {
    EXPECT_FALSE(WithAnnotation(v, 0).DoNotDisruptActive(1)) << "\"" << v << "\"";
  }
}

TEST(PodTest, HostPortsListsOnlyClaimedPorts) {
  Pod pod;
  Container a;
  ContainerPort http;
  http.container_port = 80;
  http.host_port = 8080;
  ContainerPort metrics;
  metrics.container_port = 9090;  // no host port
  a.ports = {http, metrics};
  Container init;
  ContainerPort dns;
  dns.container_port = 53;
  dns.host_port = 53;
  dns.host_ip = "10.0.0.1";
  dns.protocol = "UDP";
  init.ports = {dns};
  pod.containers = {a};
  pod.init_containers = {init};
  auto ports = pod.HostPorts();
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].host_port, 53);
  EXPECT_EQ(ports[0].protocol, "UDP");
  EXPECT_EQ(ports[1].host_port, 8080);
}

TEST(PodTest, OwnedByDaemonSet) {
  Pod pod;
  EXPECT_FALSE(pod.OwnedByDaemonSet());
  pod.meta.owner = OwnerReference{"ReplicaSet", "web-1", true};
  EXPECT_FALSE(pod.OwnedByDaemonSet());
  pod.meta.owner = OwnerReference{"DaemonSet", "cni", true};
  EXPECT_TRUE(pod.OwnedByDaemonSet());
}

}  // namespace
}  // namespace adze::model
