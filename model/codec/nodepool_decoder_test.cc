#include "model/codec/nodepool_decoder.h"

#include <string>

#include <gtest/gtest.h>

#include "model/codec/test_util.h"

namespace adze::codec {
namespace {

using testing::DecodeOk;
using testing::ErrorOf;
using testing::WarningsOf;

constexpr std::string_view kGpuPool = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
  annotations:
    kubernetes.io/description: "GPU pool"
spec:
  template:
    metadata:
      labels:
        team: ml
        node.kubernetes.io/role: gpu
      annotations:
        karpenter.sh/do-not-disrupt: "true"
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: gpu
      taints:
        - key: nvidia.com/gpu
          value: "true"
          effect: NoSchedule
      startupTaints:
        - key: example.com/not-ready
          effect: NoExecute
      expireAfter: 168h
      terminationGracePeriod: 48h
      requirements:
        - key: karpenter.k8s.aws/instance-family
          operator: In
          values: ["g5", "g6", "p4d"]
          minValues: 2
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["spot", "on-demand"]
        - key: karpenter.k8s.aws/instance-gpu-count
          operator: Gt
          values: ["0"]
        - key: failure-domain.beta.kubernetes.io/zone
          operator: NotIn
          values: [us-west-2d]
        - key: karpenter.k8s.aws/instance-size
          operator: Exists
          minValues: 3
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 10m
    budgets:
      - nodes: "20%"
        reasons: [Empty, Drifted]
      - nodes: "0"
        schedule: "0 9 * * mon-fri"
        duration: 8h
      - nodes: 5
        schedule: "@daily"
        duration: 1h30m0s
  limits:
    cpu: 1000
    memory: 4000Gi
    nvidia.com/gpu: 64
  weight: 50
status:
  resources:
    cpu: "16"
  conditions:
    - type: Ready
      status: "True"
)";

TEST(NodePoolDecoderTest, DecodesRealisticPool) {
  Manifests m = DecodeOk(kGpuPool, "pool.yaml");
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_EQ(m.node_pools.size(), 1u);
  const model::NodePool& p = m.node_pools[0];
  EXPECT_EQ(p.meta.name, "gpu");
  EXPECT_EQ(p.meta.namespace_, "");
  EXPECT_EQ(p.template_labels, (model::Labels{{"team", "ml"}, {"node.kubernetes.io/role", "gpu"}}));
  EXPECT_EQ(p.template_annotations.at("karpenter.sh/do-not-disrupt"), "true");
  EXPECT_EQ(p.node_class_ref, (model::NodeClassRef{"karpenter.k8s.aws", "EC2NodeClass", "gpu"}));
  ASSERT_EQ(p.taints.size(), 1u);
  EXPECT_EQ(p.taints[0], (model::Taint{"nvidia.com/gpu", "true", model::TaintEffect::kNoSchedule}));
  ASSERT_EQ(p.startup_taints.size(), 1u);
  EXPECT_EQ(p.startup_taints[0].effect, model::TaintEffect::kNoExecute);
  EXPECT_EQ(p.expire_after, 168 * model::kHour);
  EXPECT_EQ(p.termination_grace_period, 48 * model::kHour);

  ASSERT_EQ(p.requirements.size(), 5u);
  EXPECT_EQ(p.requirements[0].key(), "karpenter.k8s.aws/instance-family");
  EXPECT_EQ(p.requirements[0].values(), (std::vector<std::string>{"g5", "g6", "p4d"}));
  EXPECT_EQ(p.requirements[0].min_values(), 2);
  EXPECT_EQ(p.requirements[2].lower_bound(), 1);  // Gt 0
  // Beta keys are normalised.
  EXPECT_EQ(p.requirements[3].key(), "topology.kubernetes.io/zone");
  EXPECT_TRUE(p.requirements[3].complement());
  EXPECT_EQ(p.requirements[4].op(), model::Operator::kExists);
  EXPECT_EQ(p.requirements[4].min_values(), 3);

  EXPECT_EQ(p.consolidation_policy, model::ConsolidationPolicy::kWhenEmpty);
  EXPECT_EQ(p.consolidate_after, 10 * model::kMinute);
  ASSERT_EQ(p.budgets.size(), 3u);
  EXPECT_EQ(p.budgets[0].nodes, 20);
  EXPECT_TRUE(p.budgets[0].percent);
  EXPECT_EQ(p.budgets[0].reasons,
            (std::vector<model::DisruptionReason>{model::DisruptionReason::kEmpty, model::DisruptionReason::kDrifted}));
  EXPECT_EQ(p.budgets[0].schedule, "");
  EXPECT_EQ(p.budgets[1].nodes, 0);
  EXPECT_FALSE(p.budgets[1].percent);
  EXPECT_EQ(p.budgets[1].schedule, "0 9 * * mon-fri");
  EXPECT_EQ(p.budgets[1].duration, 8 * model::kHour);
  EXPECT_TRUE(p.budgets[1].reasons.empty());
  EXPECT_EQ(p.budgets[2].nodes, 5);
  EXPECT_FALSE(p.budgets[2].percent);
  EXPECT_EQ(p.budgets[2].duration, 90 * model::kMinute);
  EXPECT_EQ(p.limits.Get("cpu"), model::Quantity::FromUnits(1000));
  EXPECT_EQ(p.limits.Get("memory"), *model::Quantity::Parse("4000Gi"));
  EXPECT_EQ(p.limits.Get("nvidia.com/gpu"), model::Quantity::FromUnits(64));
  EXPECT_EQ(p.weight, 50);
}

constexpr std::string_view kMinimalPool = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: default
spec:
  template:
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
      requirements: []
)";

TEST(NodePoolDecoderTest, AppliesDefaults) {
  Manifests m = DecodeOk(kMinimalPool);
  ASSERT_EQ(m.node_pools.size(), 1u);
  const model::NodePool& p = m.node_pools[0];
  EXPECT_EQ(p.expire_after, 720 * model::kHour);
  EXPECT_EQ(p.termination_grace_period, std::nullopt);
  EXPECT_EQ(p.consolidation_policy, model::ConsolidationPolicy::kWhenEmptyOrUnderutilized);
  EXPECT_EQ(p.consolidate_after, 0);
  ASSERT_EQ(p.budgets.size(), 1u);
  EXPECT_EQ(p.budgets[0], model::NodePool().budgets[0]);
  EXPECT_EQ(p.budgets[0].nodes, 10);
  EXPECT_TRUE(p.budgets[0].percent);
  EXPECT_EQ(p.weight, 0);
  EXPECT_TRUE(p.limits.empty());
}

TEST(NodePoolDecoderTest, NeverDisablesExpiryAndConsolidation) {
  std::string yaml = std::string(kMinimalPool) +
                     "      expireAfter: Never\n"
                     "  disruption:\n"
                     "    consolidateAfter: Never\n";
  Manifests m = DecodeOk(yaml);
  ASSERT_EQ(m.node_pools.size(), 1u);
  EXPECT_EQ(m.node_pools[0].expire_after, std::nullopt);
  EXPECT_EQ(m.node_pools[0].consolidate_after, std::nullopt);
}

// A pool whose requirements list starts on line 10; `reqs` is the list body,
// indented by 8 spaces.
std::string PoolWithRequirements(std::string_view reqs) {
  return std::string(R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
)") + std::string(reqs);
}

TEST(NodePoolDecoderTest, MisspeltOperator) {
  std::string yaml = PoolWithRequirements(
      "        - key: karpenter.sh/capacity-type\n"
      "          operator: In\n"
      "          values: [spot]\n"
      "        - key: kubernetes.io/arch\n"
      "          operator: In\n"
      "          values: [amd64]\n"
      "        - key: karpenter.k8s.aws/instance-family\n"
      "          operator: Inn\n"
      "          values: [g5]\n");
  EXPECT_EQ(ErrorOf(yaml, "examples/pool.yaml"),
            "examples/pool.yaml:17:21: spec.template.spec.requirements[2].operator: found \"Inn\", expected one "
            "of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte");
}

TEST(NodePoolDecoderTest, InWithoutValues) {
  std::string yaml = PoolWithRequirements(
      "        - key: karpenter.sh/capacity-type\n"
      "          operator: In\n"
      "          values: []\n");
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:12:19: spec.template.spec.requirements[0].values: operator In requires at "
                           "least one value");
  // values absent: the error points at the requirement itself.
  std::string absent = PoolWithRequirements(
      "        - key: karpenter.sh/capacity-type\n"
      "          operator: In\n");
  EXPECT_EQ(ErrorOf(absent), "test.yaml:10:11: spec.template.spec.requirements[0].values: operator In requires at "
                             "least one value");
}

TEST(NodePoolDecoderTest, GtNeedsOneNonNegativeInteger) {
  std::string two = PoolWithRequirements(
      "        - key: karpenter.k8s.aws/instance-cpu\n"
      "          operator: Gt\n"
      "          values: [\"4\", \"8\"]\n");
  EXPECT_EQ(ErrorOf(two), "test.yaml:12:19: spec.template.spec.requirements[0].values: operator Gt requires "
                          "exactly one value, found 2");
  std::string negative = PoolWithRequirements(
      "        - key: karpenter.k8s.aws/instance-cpu\n"
      "          operator: Lt\n"
      "          values: [\"-1\"]\n");
  EXPECT_EQ(ErrorOf(negative), "test.yaml:12:20: spec.template.spec.requirements[0].values[0]: found \"-1\", "
                               "expected a non-negative integer");
  std::string text = PoolWithRequirements(
      "        - key: karpenter.k8s.aws/instance-cpu\n"
      "          operator: Gte\n"
      "          values:\n"
      "            - four\n");
  EXPECT_EQ(ErrorOf(text), "test.yaml:13:15: spec.template.spec.requirements[0].values[0]: found \"four\", "
                           "expected a non-negative integer");
}

TEST(NodePoolDecoderTest, ExistsTakesNoValues) {
  std::string yaml = PoolWithRequirements(
      "        - key: karpenter.k8s.aws/instance-gpu-name\n"
      "          operator: Exists\n"
      "          values: [t4]\n");
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:12:19: spec.template.spec.requirements[0].values: operator Exists takes no "
                           "values, found 1");
}

TEST(NodePoolDecoderTest, MinValuesRange) {
  auto with_min = [](std::string_view min) {
    return PoolWithRequirements(
        "        - key: karpenter.k8s.aws/instance-family\n"
        "          operator: In\n"
        "          values: [g5, g6]\n"
        "          minValues: " +
        std::string(min) + "\n");
  };
  EXPECT_EQ(ErrorOf(with_min("0")), "test.yaml:13:22: spec.template.spec.requirements[0].minValues: found 0, "
                                    "expected an integer from 1 to 50");
  EXPECT_EQ(ErrorOf(with_min("51")), "test.yaml:13:22: spec.template.spec.requirements[0].minValues: found 51, "
                                     "expected an integer from 1 to 50");
  EXPECT_EQ(ErrorOf(with_min("3")), "test.yaml:13:22: spec.template.spec.requirements[0].minValues: minValues 3 is "
                                    "more than the 2 value(s) of operator In");
  EXPECT_EQ(ErrorOf(with_min("2")), "<no error>");
}

TEST(NodePoolDecoderTest, TooManyRequirements) {
  std::string reqs;
  for (int i = 0; i < 101; ++i) reqs += "        - {key: example.com/k" + std::to_string(i) + ", operator: Exists}\n";
  EXPECT_EQ(ErrorOf(PoolWithRequirements(reqs)),
            "test.yaml:10:9: spec.template.spec.requirements: at most 100 requirements are allowed, found 101");
}

TEST(NodePoolDecoderTest, RestrictedRequirementKeys) {
  std::string restricted = PoolWithRequirements(
      "        - key: karpenter.sh/custom\n"
      "          operator: Exists\n");
  EXPECT_EQ(ErrorOf(restricted), "test.yaml:10:16: spec.template.spec.requirements[0].key: label domain "
                                 "\"karpenter.sh\" is restricted (karpenter.sh); only its well-known keys may be "
                                 "used");
  std::string hostname = PoolWithRequirements(
      "        - key: kubernetes.io/hostname\n"
      "          operator: In\n"
      "          values: [node-a]\n");
  EXPECT_EQ(ErrorOf(hostname), "test.yaml:10:16: spec.template.spec.requirements[0].key: kubernetes.io/hostname is "
                               "set by the kubelet and may not be set by a NodePool");
}

TEST(NodePoolDecoderTest, RestrictedTemplateLabel) {
  std::string yaml = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    metadata:
      labels:
        karpenter.k8s.aws/team: ml
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
)";
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:9:33: spec.template.metadata.labels[karpenter.k8s.aws/team]: label domain "
                           "\"karpenter.k8s.aws\" is restricted (karpenter.k8s.aws); only its well-known keys may "
                           "be used");
}

// A valid pool followed by `tail` at the indentation of spec's children.
std::string PoolWithSpec(std::string_view tail) {
  return std::string(R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
)") + std::string(tail);
}

TEST(NodePoolDecoderTest, WeightRange) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  weight: 0\n")),
            "test.yaml:9:11: spec.weight: found 0, expected an integer from 1 to 100");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  weight: 101\n")),
            "test.yaml:9:11: spec.weight: found 101, expected an integer from 1 to 100");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  weight: 100\n")), "<no error>");
}

TEST(NodePoolDecoderTest, BudgetNodes) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - nodes: \"110%\"\n")),
            "test.yaml:11:16: spec.disruption.budgets[0].nodes: found \"110%\", expected a non-negative integer or "
            "a percentage from 0% to 100%");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - nodes: \"-1\"\n")),
            "test.yaml:11:16: spec.disruption.budgets[0].nodes: found \"-1\", expected a non-negative integer or "
            "a percentage from 0% to 100%");
}

TEST(NodePoolDecoderTest, ScheduleAndDurationGoTogether) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - nodes: \"0\"\n"
                                 "        schedule: \"@daily\"\n")),
            "test.yaml:11:9: spec.disruption.budgets[0].duration: required when schedule is set");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - nodes: \"0\"\n"
                                 "        duration: 1h\n")),
            "test.yaml:11:9: spec.disruption.budgets[0].schedule: required when duration is set");
}

TEST(NodePoolDecoderTest, BudgetDurationAndScheduleSyntax) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - schedule: \"@daily\"\n"
                                 "        duration: 90s\n")),
            "test.yaml:12:19: spec.disruption.budgets[0].duration: found \"90s\", expected a duration in hours and "
            "minutes such as 1h, 30m or 1h30m");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - schedule: \"0 9 * *\"\n"
                                 "        duration: 1h\n")),
            "test.yaml:11:19: spec.disruption.budgets[0].schedule: cron \"0 9 * *\": want 5 fields (minute hour "
            "day-of-month month day-of-week), found 4");
  // Issue 15 class 5: only the field count was checked; these then made the
  // budget allow nothing at run time.
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - schedule: \"0 25 * * *\"\n"
                                 "        duration: 1h\n")),
            "test.yaml:11:19: spec.disruption.budgets[0].schedule: cron \"0 25 * * *\": hour: value \"25\" in \"25\" "
            "is out of range 0-23");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - schedule: \"a b c d e\"\n"
                                 "        duration: 1h\n")),
            "test.yaml:11:19: spec.disruption.budgets[0].schedule: cron \"a b c d e\": minute: bad value \"a\" in "
            "\"a\": want a number 0-59");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    budgets:\n"
                                 "      - reasons: [Underutilized, Expired]\n")),
            "test.yaml:11:34: spec.disruption.budgets[0].reasons[1]: found \"Expired\", expected one of "
            "Underutilized, Empty, Drifted");
}

TEST(NodePoolDecoderTest, TooManyBudgets) {
  std::string budgets = "  disruption:\n    budgets:\n";
  for (int i = 0; i < 51; ++i) budgets += "      - nodes: \"1\"\n";
  EXPECT_EQ(ErrorOf(PoolWithSpec(budgets)),
            "test.yaml:11:7: spec.disruption.budgets: at most 50 budgets are allowed, found 51");
}

TEST(NodePoolDecoderTest, BadDurationsAndPolicy) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    consolidateAfter: 5x\n")),
            "test.yaml:10:23: spec.disruption.consolidateAfter: invalid duration \"5x\": unknown unit \"x\" "
            "(expected e.g. 30s, 10m, 1h30m, 720h)");
  EXPECT_EQ(ErrorOf(PoolWithSpec("  disruption:\n"
                                 "    consolidationPolicy: Sometimes\n")),
            "test.yaml:10:26: spec.disruption.consolidationPolicy: found \"Sometimes\", expected one of "
            "WhenEmptyOrUnderutilized, WhenEmpty");
}

TEST(NodePoolDecoderTest, BadLimitQuantity) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  limits:\n"
                                 "    cpu: 1000\n"
                                 "    memory: 12Gx\n")),
            "test.yaml:11:13: spec.limits[memory]: invalid quantity \"12Gx\": unknown suffix \"Gx\" (expected a "
            "number with an optional suffix, e.g. 500m, 2, 1.5Gi, 4k, 1e3)");
}

// Issue 15 class 5.
TEST(NodePoolDecoderTest, NegativeLimitIsRejected) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("  limits:\n"
                                 "    cpu: -8\n")),
            "test.yaml:10:10: spec.limits[cpu]: must be greater than or equal to 0, found -8");
}

TEST(NodePoolDecoderTest, NodeClassRefMustNameAnEC2NodeClass) {
  std::string yaml = PoolWithSpec("");
  std::string other = yaml;
  other.replace(other.find("kind: EC2NodeClass"), 18, "kind: AKSNodeClass");
  EXPECT_EQ(ErrorOf(other), "test.yaml:8:54: spec.template.spec.nodeClassRef.kind: found \"AKSNodeClass\", expected "
                            "one of EC2NodeClass");
  other = yaml;
  other.replace(other.find("group: karpenter.k8s.aws"), 24, "group: example.com");
  EXPECT_EQ(ErrorOf(other), "test.yaml:8:29: spec.template.spec.nodeClassRef.group: found \"example.com\", "
                            "expected one of karpenter.k8s.aws");
}

TEST(NodePoolDecoderTest, MissingNodeClassRef) {
  std::string yaml = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    spec:
      requirements: []
)";
  EXPECT_EQ(ErrorOf(yaml), "test.yaml:8:7: spec.template.spec.nodeClassRef: required field is missing (expected a "
                           "map)");
}

TEST(NodePoolDecoderTest, BadTaintEffect) {
  EXPECT_EQ(ErrorOf(PoolWithSpec("      taints:\n"
                                 "        - {key: gpu, effect: NoScheduel}\n")),
            "test.yaml:10:30: spec.template.spec.taints[0].effect: found \"NoScheduel\", expected one of "
            "NoSchedule, PreferNoSchedule, NoExecute");
}

TEST(NodePoolDecoderTest, UnknownFieldIsAWarning) {
  std::string yaml = PoolWithSpec("      expireAfterr: 24h\n");
  EXPECT_EQ(WarningsOf(yaml), "test.yaml:9:7: spec.template.spec.expireAfterr: unknown field \"expireAfterr\" "
                              "(ignored)\n");
}

}  // namespace
}  // namespace adze::codec
