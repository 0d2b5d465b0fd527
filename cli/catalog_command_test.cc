#include "cli/catalog_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>
#include "cli/test_temp_file.h"

namespace adze::cli {
namespace {

std::string Example(const std::string& name) {
  const char* root = std::getenv("ADZE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/examples/" + name;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  return testing::WriteTempFile("adze_catalog_test_", name, text);
}

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Catalog(CatalogOptions o) {
  std::ostringstream out, err;
  int code = RunCatalog(o, out, err);
  return {code, out.str(), err.str()};
}

nlohmann::json Json(const CommandRun& r) {
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Issue 15 class 6: --zones was ignored without --catalog.
TEST(CatalogCommand, ZonesWithoutCatalogIsAnError) {
  CatalogOptions o;
  o.zones_file = "zones.csv";
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--zones: needs --catalog"), std::string::npos) << r.err;
}

TEST(CatalogCommand, AwsFlagsNeedFromAws) {
  CatalogOptions o;
  o.write_catalog_dir = "out";
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("need --from-aws"), std::string::npos) << r.err;

  CatalogOptions both;
  both.from_aws = true;
  both.catalog_file = "instance-types.csv";
  r = Catalog(both);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--from-aws: cannot be combined with --catalog"), std::string::npos) << r.err;
}

TEST(CatalogCommand, FromAwsPointedAtNothingFailsWithTheEndpointNamed) {
  // A port nobody listens on: the connection fails fast, retries run out.
  setenv("AWS_ACCESS_KEY_ID", "AKIDCLITEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "cli-test-secret", 1);
  CatalogOptions o;
  o.from_aws = true;
  o.region = "us-east-1";
  o.endpoint_url = "http://127.0.0.1:1";
  CommandRun r = Catalog(o);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("DescribeInstanceTypes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("cli-test-secret"), std::string::npos) << r.err;
}

TEST(CatalogCommand, H100QueryListsP5WithGpusAndPodDensity) {
  CatalogOptions o;
  o.requires_ = {"karpenter.k8s.aws/instance-gpu-name=h100"};
  o.output = "json";
  nlohmann::json rows = Json(Catalog(o));
  ASSERT_FALSE(rows.empty());
  bool saw_p5 = false;
  for (const auto& r : rows) {
    EXPECT_EQ(r["gpu"]["name"], "h100") << r["type"];
    if (r["type"] == "p5.48xlarge") {
      saw_p5 = true;
      EXPECT_EQ(r["gpu"]["count"], 8);
      EXPECT_EQ(r["gpu"]["memoryMiB"], 81920);
      EXPECT_EQ(r["vcpu"], 192);
      EXPECT_EQ(r["maxPods"]["secondaryIP"], 100);
      EXPECT_EQ(r["maxPods"]["prefixDelegation"], 250);
      EXPECT_DOUBLE_EQ(r["pricePerHour"]["onDemand"].get<double>(), 55.04);
      EXPECT_DOUBLE_EQ(r["pricePerGpuHour"]["onDemand"].get<double>(), 55.04 / 8);
    }
  }
  EXPECT_TRUE(saw_p5);
}

TEST(CatalogCommand, NumericBoundsFilterGpuCount) {
  CatalogOptions o;
  o.requires_ = {"karpenter.k8s.aws/instance-gpu-count>=4"};
  o.output = "json";
  nlohmann::json rows = Json(Catalog(o));
  ASSERT_FALSE(rows.empty());
  for (const auto& r : rows) EXPECT_GE(r["gpu"]["count"].get<int>(), 4) << r["type"];
}

TEST(CatalogCommand, FitsListsOnlyTypesThatCarryTheInferencePod) {
  CatalogOptions o;
  o.fits_file = Example("inference-4gpu-pod.yaml");
  o.output = "json";
  nlohmann::json rows = Json(Catalog(o));
  ASSERT_FALSE(rows.empty());
  std::set<std::string> names;
  for (const auto& r : rows) {
    names.insert(r["type"]);
    EXPECT_GE(r["gpu"]["count"].get<int>(), 4) << r["type"];
    EXPECT_GE(r["gpu"]["memoryMiB"].get<int>(), 40960) << r["type"];
    EXPECT_GE(r["fits"].get<int>(), 1) << r["type"];
    // Each copy needs 4 GPUs, so the number of copies is bounded by GPUs / 4.
    EXPECT_LE(r["fits"].get<int>(), r["gpu"]["count"].get<int>() / 4) << r["type"];
  }
  EXPECT_TRUE(names.count("p4d.24xlarge"));   // 8 x A100 40 GiB
  EXPECT_TRUE(names.count("p5.48xlarge"));    // 8 x H100 80 GiB
  EXPECT_FALSE(names.count("g5.12xlarge"));   // 4 x A10G, 22888 MiB each: too small
  EXPECT_FALSE(names.count("g6e.xlarge"));    // 1 GPU: too few
}

TEST(CatalogCommand, NodePoolLimitsTypesToWhatThePoolCanLaunch) {
  CatalogOptions o;
  o.nodepool_files = {Example("gpu-nodepool.yaml")};
  o.fits_file = Example("inference-4gpu-pod.yaml");
  o.output = "json";
  nlohmann::json rows = Json(Catalog(o));
  ASSERT_FALSE(rows.empty());
  for (const auto& r : rows) {
    std::string type = r["type"];
    EXPECT_TRUE(type[0] == 'g' || type[0] == 'p') << type;
    EXPECT_FALSE(type.starts_with("p3")) << "generation 3 is excluded by the pool: " << type;
  }
}

TEST(CatalogCommand, PodThatDoesNotTolerateThePoolTaintIsExplained) {
  std::string pod = WriteTemp("plain-pod.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers:
    - name: c
      resources: {requests: {cpu: "1", nvidia.com/gpu: "1"}}
)");
  CatalogOptions o;
  o.nodepool_files = {Example("gpu-nodepool.yaml")};
  o.fits_file = pod;
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not tolerate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nvidia.com/gpu=true:NoSchedule"), std::string::npos) << r.err;
}

TEST(CatalogCommand, UnknownKeyPointsAtTheTokenAndSuggestsAFix) {
  CatalogOptions o;
  o.requires_ = {"karpenter.k8s.aws/instance-gpu-nam in (h100)"};
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown label key \"karpenter.k8s.aws/instance-gpu-nam\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  karpenter.k8s.aws/instance-gpu-nam in (h100)\n  ^~~~"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean karpenter.k8s.aws/instance-gpu-name?"), std::string::npos) << r.err;
}

TEST(CatalogCommand, MalformedExpressionPointsAtTheToken) {
  CatalogOptions o;
  o.requires_ = {"karpenter.k8s.aws/instance-gpu-count >= many"};
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("found \"many\""), std::string::npos) << r.err;
}

TEST(CatalogCommand, MisspeltOperatorInNodePoolFailsWithTheLine) {
  std::string pool = WriteTemp("bad-pool.yaml", R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: bad
spec:
  template:
    spec:
      requirements:
        - key: karpenter.k8s.aws/instance-category
          operator: Inn
          values: ["g"]
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: x}
)");
  CatalogOptions o;
  o.nodepool_files = {pool};
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(pool + ":10:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("spec.template.spec.requirements[0].operator"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Inn"), std::string::npos) << r.err;
}

TEST(CatalogCommand, SortsAndLimits) {
  CatalogOptions o;
  o.requires_ = {"karpenter.k8s.aws/instance-gpu-count>=1"};
  o.sort = "gpu-hour";
  o.limit = 5;
  o.output = "json";
  nlohmann::json rows = Json(Catalog(o));
  ASSERT_EQ(rows.size(), 5u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LE(rows[i - 1]["pricePerGpuHour"]["onDemand"].get<double>(),
              rows[i]["pricePerGpuHour"]["onDemand"].get<double>());
  }
  o.descending = true;
  o.sort = "vcpu";
  nlohmann::json desc = Json(Catalog(o));
  for (size_t i = 1; i < desc.size(); ++i) EXPECT_GE(desc[i - 1]["vcpu"], desc[i]["vcpu"]);
}

TEST(CatalogCommand, UnknownSortColumnNamesTheChoices) {
  CatalogOptions o;
  o.sort = "cost";
  CommandRun r = Catalog(o);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown column \"cost\""), std::string::npos);
  EXPECT_NE(r.err.find("gpu-hour"), std::string::npos);
}

TEST(CatalogCommand, CsvAndYamlCarryTheSameRows) {
  CatalogOptions o;
  o.requires_ = {"node.kubernetes.io/instance-type in (g5.xlarge, p5.48xlarge)"};
  o.output = "csv";
  CommandRun csv = Catalog(o);
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("type,vcpu,memory,gpus", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\ng5.xlarge,4,16,"), std::string::npos) << csv.out;
  o.output = "yaml";
  CommandRun yaml = Catalog(o);
  ASSERT_EQ(yaml.code, 0) << yaml.err;
  YAML::Node doc = YAML::Load(yaml.out);
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[0]["type"].as<std::string>(), "g5.xlarge");
  EXPECT_EQ(doc[1]["maxPods"]["secondaryIP"].as<int>(), 100);
}

TEST(CatalogCommand, PrefixDelegationRaisesAllocatablePods) {
  CatalogOptions o;
  o.requires_ = {"node.kubernetes.io/instance-type=g5.xlarge"};
  o.output = "json";
  nlohmann::json off = Json(Catalog(o));
  o.prefix_delegation = true;
  nlohmann::json on = Json(Catalog(o));
  ASSERT_EQ(off.size(), 1u);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(off[0]["allocatable"]["pods"], "58");
  EXPECT_EQ(on[0]["allocatable"]["pods"], "110");
}

}  // namespace
}  // namespace adze::cli
