#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/embedded_data.h"
#include "catalog/testing_csv.h"

namespace adze::catalog {
namespace {

using testing::TypesCsv;
using testing::ZonesCsv;

TEST(CatalogTest, EmbeddedHoldsEveryRowSortedByName) {
  const Catalog& c = Catalog::Embedded();
  EXPECT_EQ(c.types().size(), 373u);
  EXPECT_EQ(std::count_if(c.types().begin(), c.types().end(),
                          [](const InstanceTypeInfo& t) { return t.in_latest_ec2_snapshot; }),
            362);
  EXPECT_TRUE(std::is_sorted(c.types().begin(), c.types().end(),
                             [](const auto& a, const auto& b) { return a.instance_type < b.instance_type; }));
  EXPECT_EQ(&c, &Catalog::Embedded());  // parsed once
  EXPECT_FALSE(EmbeddedDataSource().empty());
}

TEST(CatalogTest, EmbeddedRowIsFullyTyped) {
  const InstanceTypeInfo* p5 = Catalog::Embedded().Find("p5.48xlarge");
  ASSERT_NE(p5, nullptr);
  EXPECT_EQ(p5->family, "p5");
  EXPECT_EQ(p5->category, "p");
  EXPECT_EQ(p5->generation, 5);
  EXPECT_EQ(p5->size, "48xlarge");
  EXPECT_EQ(p5->arch, "amd64");
  EXPECT_EQ(p5->vcpu, 192);
  EXPECT_EQ(p5->memory_mib, 2097152);
  EXPECT_EQ(p5->gpu_count, 8);
  EXPECT_EQ(p5->gpu_name, "h100");
  EXPECT_EQ(p5->gpu_manufacturer, "nvidia");
  EXPECT_EQ(p5->gpu_memory_mib, 81920);
  EXPECT_EQ(p5->accelerator_count, 0);
  EXPECT_EQ(p5->local_nvme_gb, 30400);
  EXPECT_EQ(p5->network_bandwidth_mbps, 3200000);
  EXPECT_EQ(p5->efa_max_interfaces, 32);
  EXPECT_EQ(p5->max_enis, 64);
  EXPECT_EQ(p5->ipv4_per_eni, 50);
  EXPECT_EQ(p5->ipv6_per_eni, 50);
  EXPECT_EQ(p5->hypervisor, "nitro");
  EXPECT_DOUBLE_EQ(p5->od_price_usd_hr.value(), 55.04);
  EXPECT_DOUBLE_EQ(p5->spot_savings_pct.value(), 52);
  EXPECT_EQ(p5->spot_interruption_band, 4);
  EXPECT_EQ(p5->accelerator_manufacturer, "");
  EXPECT_FALSE(p5->neuron_core_count.has_value());
  EXPECT_DOUBLE_EQ(p5->gpu_partition_size.value(), 1);
  EXPECT_EQ(p5->max_enis_default_card, 2);
  EXPECT_FALSE(p5->bare_metal);
  EXPECT_TRUE(p5->in_latest_ec2_snapshot);

  const InstanceTypeInfo* trn1 = Catalog::Embedded().Find("trn1.32xlarge");
  ASSERT_NE(trn1, nullptr);
  EXPECT_EQ(trn1->accelerator_manufacturer, "aws");
  EXPECT_EQ(trn1->neuron_core_count, 32);
  EXPECT_FALSE(trn1->gpu_memory_mib.has_value());

  const InstanceTypeInfo* metal = Catalog::Embedded().Find("m5.metal");
  ASSERT_NE(metal, nullptr);
  EXPECT_TRUE(metal->bare_metal);
  EXPECT_EQ(metal->hypervisor, "");

  const InstanceTypeInfo* g3 = Catalog::Embedded().Find("g3.4xlarge");
  ASSERT_NE(g3, nullptr);
  EXPECT_FALSE(g3->in_latest_ec2_snapshot);
  EXPECT_FALSE(g3->spot_savings_pct.has_value());
  EXPECT_FALSE(g3->gpu_partition_size.has_value());

  EXPECT_EQ(Catalog::Embedded().Find("m5.nonexistent"), nullptr);
}

TEST(CatalogTest, ZonesPerTypeAndAllZones) {
  const Catalog& c = Catalog::Embedded();
  const auto& zones = c.Zones("p5.48xlarge");
  ASSERT_EQ(zones.size(), 6u);
  EXPECT_EQ(zones[0], (TypeZone{"us-east-1a", "use1-az2", "2026-08-01"}));
  EXPECT_EQ(zones[5].zone, "us-east-1f");
  EXPECT_EQ(zones[5].zone_id, "use1-az5");
  EXPECT_EQ(c.Zones("m5.large").size(), 5u);  // not in the legacy us-east-1e
  for (const char* none : {"p5e.48xlarge", "trn2.3xlarge", "trn2.48xlarge", "dl2q.24xlarge", "no.such"}) {
    EXPECT_TRUE(c.Zones(none).empty()) << none;
  }
  EXPECT_EQ(c.AllZones(), (std::vector<Zone>{{"us-east-1a", "use1-az2"},
                                             {"us-east-1b", "use1-az4"},
                                             {"us-east-1c", "use1-az6"},
                                             {"us-east-1d", "use1-az1"},
                                             {"us-east-1e", "use1-az3"},
                                             {"us-east-1f", "use1-az5"}}));
}

TEST(CatalogTest, FromCsvAcceptsQuotedCellsAndExtraColumns) {
  std::string types = TypesCsv({{{"instance_type", "\"m5.large\""}, {"hypervisor", "\"nitro\""}}});
  // An extra column at the end is ignored.
  types.replace(types.find('\n'), 1, ",extra\n");
  types.replace(types.rfind('\n'), 1, ",\"x,y\"\n");
  auto c = Catalog::FromCsv(types, ZonesCsv({{"m5.large", "us-east-1a", "use1-az2"}}), "mem");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->types().size(), 1u);
  EXPECT_EQ(c->types()[0].instance_type, "m5.large");
  EXPECT_EQ(c->types()[0].hypervisor, "nitro");
  EXPECT_EQ(c->source_name(), "mem");
  EXPECT_EQ(c->Zones("m5.large").size(), 1u);
}

TEST(CatalogTest, MalformedCellNamesFileLineAndColumn) {
  auto c = Catalog::FromCsv(TypesCsv({{}, {{"instance_type", "m5.xlarge"}, {"vcpu", "four"}}}), ZonesCsv({}),
                            "data/aws");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find("data/aws/instance-types.csv:3: column \"vcpu\": expected an integer"),
            std::string::npos)
      << c.error().message;
}

TEST(CatalogTest, RejectsBadValues) {
  struct Case {
    const char* column;
    const char* value;
    const char* expect;
  };
  for (const Case& k : {Case{"arch", "x86_64", "column \"arch\""}, Case{"bare_metal", "yes", "column \"bare_metal\""},
                        Case{"od_price_usd_hr", "1.2.3", "column \"od_price_usd_hr\""},
                        Case{"spot_savings_pct", "120", "column \"spot_savings_pct\""},
                        Case{"spot_interruption_band", "7", "column \"spot_interruption_band\""},
                        Case{"memory_mib", "", "column \"memory_mib\""},
                        Case{"gpu_count", "-1", "column \"gpu_count\""},
                        Case{"gpu_count", "2", "column \"gpu_name\""},
                        Case{"max_enis_default_card", "9", "column \"max_enis_default_card\""},
                        Case{"instance_type", "", "column \"instance_type\""}}) {
    auto c = Catalog::FromCsv(TypesCsv({{{k.column, k.value}}}), ZonesCsv({}), "d");
    ASSERT_FALSE(c.ok()) << k.column << "=" << k.value;
    EXPECT_NE(c.error().message.find("d/instance-types.csv:2: "), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find(k.expect), std::string::npos) << c.error().message;
  }
}

TEST(CatalogTest, MissingColumnIsAnError) {
  std::string types = "instance_type,family\nm5.large,m5\n";
  auto c = Catalog::FromCsv(types, ZonesCsv({}), "d");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("missing column \"category\""), std::string::npos) << c.error().message;
}

TEST(CatalogTest, DuplicateTypeIsAnError) {
  auto c = Catalog::FromCsv(TypesCsv({{}, {}}), ZonesCsv({}), "d");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("instance-types.csv:3: column \"instance_type\": duplicate"), std::string::npos)
      << c.error().message;
}

TEST(CatalogTest, BadZoneRowsAreErrors) {
  const std::string types = TypesCsv({{}});
  auto unknown = Catalog::FromCsv(types, ZonesCsv({{"m9.large", "us-east-1a", "use1-az2"}}), "d");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("d/zones-us-east-1.csv:2: column \"instance_type\": unknown instance type"),
            std::string::npos)
      << unknown.error().message;

  auto conflicting = Catalog::FromCsv(types,
                                      ZonesCsv({{"m5.large", "us-east-1a", "use1-az2"},
                                                {"m5.large", "us-east-1b", "use1-az2"},
                                                {"m5.large", "us-east-1a", "use1-az9"}}),
                                      "d");
  ASSERT_FALSE(conflicting.ok());
  EXPECT_NE(conflicting.error().message.find("zones-us-east-1.csv:4: column \"zone_id\""), std::string::npos)
      << conflicting.error().message;

  auto duplicate = Catalog::FromCsv(
      types, ZonesCsv({{"m5.large", "us-east-1a", "use1-az2"}, {"m5.large", "us-east-1a", "use1-az2"}}), "d");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().message.find("zones-us-east-1.csv:3:"), std::string::npos);

  auto missing = Catalog::FromCsv(types, "instance_type,zone,as_of\n", "d");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing column \"zone_id\""), std::string::npos);
}

TEST(CatalogTest, MalformedCsvSyntaxIsAnError) {
  auto c = Catalog::FromCsv(TypesCsv({{}}) + "\"unterminated\n", ZonesCsv({}), "d");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("d/instance-types.csv:3: column \"instance_type\": unterminated"),
            std::string::npos)
      << c.error().message;
}

}  // namespace
}  // namespace adze::catalog
