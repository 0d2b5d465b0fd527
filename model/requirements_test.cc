#include "model/requirements.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace adze::model {
namespace {

using Values = std::vector<std::string>;

constexpr const char* kTeam = "example.com/team";

TEST(RequirementsTest, EmptyReadsEveryKeyAsExists) {
  Requirements rs;
  EXPECT_TRUE(rs.empty());
  EXPECT_EQ(rs.size(), 0u);
  EXPECT_FALSE(rs.Has(kTeam));
  EXPECT_EQ(rs.Find(kTeam), nullptr);
  Requirement got = rs.Get(kTeam);
  EXPECT_EQ(got.key(), kTeam);
  EXPECT_EQ(got.op(), Operator::kExists);
  EXPECT_EQ(rs.ToString(), "");
}

TEST(RequirementsTest, AddIntersectsOnTheSameKey) {
  Requirements rs;
  rs.Add(Requirement::In(std::string(label::kZone), {"a", "b", "c"}));
  rs.Add(Requirement::NotIn(std::string(label::kZone), {"b"}));
  rs.Add(Requirement::In(std::string(label::kArch), {"amd64"}));
  EXPECT_EQ(rs.size(), 2u);
  ASSERT_NE(rs.Find(label::kZone), nullptr);
  EXPECT_EQ(rs.Get(label::kZone).values(), (Values{"a", "c"}));
  EXPECT_FALSE(rs.Get(label::kZone).complement());
  rs.Add(Requirement::In(std::string(label::kZone), {"d"}));
  EXPECT_TRUE(rs.Get(label::kZone).IsEmpty());  // kept as an empty set, not dropped
  EXPECT_TRUE(rs.Has(label::kZone));
}

TEST(RequirementsTest, ConstructorAndAddAllIntersect) {
  Requirements a({Requirement::In("k", {"1", "2", "3"}), Requirement("k", Operator::kGt, {"1"})});
  EXPECT_EQ(a.Get("k").values(), (Values{"2", "3"}));
  Requirements b({Requirement("k", Operator::kLt, {"3"}), Requirement::Exists("other")});
  a.Add(b);
  EXPECT_EQ(a.Get("k").values(), (Values{"2"}));
  EXPECT_EQ(a.Keys(), (Values{"k", "other"}));  // key order
  std::vector<Requirement> all = a.All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key(), "k");
  EXPECT_EQ(all[1].key(), "other");
  EXPECT_EQ(a.ToString(), "k In [2], other Exists");
}

TEST(RequirementsTest, IntersectsIgnoresUnsharedKeys) {
  Requirements node({Requirement::In(std::string(label::kZone), {"a"})});
  Requirements pod({Requirement::In(std::string(label::kArch), {"arm64"})});
  EXPECT_EQ(node.Intersects(pod), std::nullopt);
  EXPECT_EQ(Requirements().Intersects(pod), std::nullopt);
}

TEST(RequirementsTest, IntersectsNamesTheConflictingKey) {
  Requirements node({Requirement::In(std::string(label::kZone), {"a"}),
                     Requirement::In(std::string(label::kArch), {"amd64"}),
                     Requirement::In(std::string(label::kCapacityType), {"spot"})});
  Requirements pod({Requirement::In(std::string(label::kArch), {"arm64"})});
  for (const auto& msg : {node.Intersects(pod), pod.Intersects(node)}) {
    ASSERT_TRUE(msg.has_value());
    EXPECT_NE(msg->find(std::string(label::kArch)), std::string::npos) << *msg;
    EXPECT_NE(msg->find("arm64"), std::string::npos) << *msg;
    EXPECT_NE(msg->find("amd64"), std::string::npos) << *msg;
    EXPECT_EQ(msg->find(std::string(label::kZone)), std::string::npos) << *msg;
  }
  // The message puts the argument's side first ("requirement <other> conflicts with <this>").
  std::optional<std::string> m = node.Intersects(pod);
  EXPECT_LT(m->find("arm64"), m->find("amd64")) << *m;
}

TEST(RequirementsTest, IntersectsExemptsNegativePairs) {
  Requirements a({Requirement::NotIn(kTeam, {"x"})});
  Requirements b({Requirement::DoesNotExist(kTeam)});
  EXPECT_EQ(a.Intersects(b), std::nullopt);
  Requirements c({Requirement::In(kTeam, {"x"})});
  EXPECT_TRUE(a.Intersects(c).has_value());
  EXPECT_TRUE(b.Intersects(c).has_value());
}

TEST(RequirementsTest, CompatibleRequiresCustomKeysNodeSide) {
  Requirements node({Requirement::In(std::string(label::kZone), {"a", "b"})});
  Requirements pod({Requirement::In(kTeam, {"ml"})});
  std::optional<std::string> msg = node.Compatible(pod);
  ASSERT_TRUE(msg.has_value());
  EXPECT_NE(msg->find(kTeam), std::string::npos) << *msg;
  // Once the pool defines the key (label or requirement), it is compatible.
  Requirements with_label = node;
  with_label.Add(Requirements::FromLabels(Labels{{kTeam, "ml"}}));
  EXPECT_EQ(with_label.Compatible(pod), std::nullopt);
  Requirements with_exists = node;
  with_exists.Add(Requirement::Exists(kTeam));
  EXPECT_EQ(with_exists.Compatible(pod), std::nullopt);
  // Defined, but with other values: an Intersects conflict naming the key.
  Requirements other({Requirement::In(kTeam, {"web"})});
  msg = other.Compatible(pod);
  ASSERT_TRUE(msg.has_value());
  EXPECT_NE(msg->find(kTeam), std::string::npos);
}

TEST(RequirementsTest, CompatibleAllowsUndefinedNegativeAndWellKnownKeys) {
  Requirements node;
  EXPECT_EQ(node.Compatible(Requirements({Requirement::NotIn(kTeam, {"ml"})})), std::nullopt);
  EXPECT_EQ(node.Compatible(Requirements({Requirement::DoesNotExist(kTeam)})), std::nullopt);
  EXPECT_TRUE(node.Compatible(Requirements({Requirement::Exists(kTeam)})).has_value());
  EXPECT_TRUE(node.Compatible(Requirements({Requirement(kTeam, Operator::kGt, {"1"})})).has_value());
  for (std::string_view key : {label::kZone, label::kArch, label::kInstanceType, label::kCapacityType,
                               label::kInstanceGpuCount, label::kNodePool}) {
    EXPECT_EQ(node.Compatible(Requirements({Requirement::In(std::string(key), {"x"})})), std::nullopt) << key;
  }
  // kubernetes.io/hostname is not well-known for this purpose.
  EXPECT_TRUE(node.Compatible(Requirements({Requirement::In(std::string(label::kHostname), {"n1"})})).has_value());
}

TEST(RequirementsTest, CompatibleStillChecksWellKnownKeysThatAreDefined) {
  Requirements node({Requirement::In(std::string(label::kZone), {"a"})});
  EXPECT_TRUE(node.Compatible(Requirements({Requirement::In(std::string(label::kZone), {"b"})})).has_value());
  EXPECT_EQ(node.Compatible(Requirements({Requirement::In(std::string(label::kZone), {"a", "b"})})), std::nullopt);
  // The node side does not need to be a subset: only the pod's keys are checked.
  Requirements pod;
  EXPECT_EQ(Requirements({Requirement::In(kTeam, {"x"})}).Compatible(pod), std::nullopt);
}

TEST(RequirementsTest, FromLabelsIsOneInPerLabel) {
  Requirements rs = Requirements::FromLabels(Labels{{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs.Get("a"), Requirement::In("a", {"1"}));
  EXPECT_EQ(rs.Get("b"), Requirement::In("b", {"2"}));
  EXPECT_TRUE(Requirements::FromLabels(Labels{}).empty());
}

TEST(RequirementsTest, SingleValuedLabels) {
  Requirements rs({Requirement::In("one", {"x"}), Requirement::In("two", {"x", "y"}),
                   Requirement::NotIn("notin", {"x"}), Requirement::Exists("exists"),
                   Requirement::DoesNotExist("dne"), Requirement("gt", Operator::kGt, {"3"}),
                   Requirement("range", Operator::kGte, {"4"})});
  rs.Add(Requirement("range", Operator::kLte, {"4"}));  // exactly {4}
  rs.Add(Requirement::In("narrowed", {"p", "q"}));
  rs.Add(Requirement::NotIn("narrowed", {"p"}));
  Labels want{{"one", "x"}, {"range", "4"}, {"narrowed", "q"}};
  EXPECT_EQ(rs.SingleValuedLabels(), want);
  EXPECT_EQ(Requirements::FromLabels(Labels{{"a", "1"}, {"b", "2"}}).SingleValuedLabels(),
            (Labels{{"a", "1"}, {"b", "2"}}));
}

TEST(RequirementsTest, Equality) {
  Requirements a({Requirement::In("k", {"a", "b"})});
  Requirements b({Requirement::In("k", {"b", "a"})});
  EXPECT_EQ(a, b);
  b.Add(Requirement::Exists("other"));
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace adze::model
