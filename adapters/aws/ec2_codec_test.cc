#include "adapters/aws/ec2_codec.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace adze::adapters::aws::ec2 {
namespace {

std::map<std::string, std::string> AsMap(const Fields& fields) { return {fields.begin(), fields.end()}; }

providers::aws::CreateLaunchTemplateRequest Request() {
  return {.launch_template_name = "adze/gpu/1", .image_id = "ami-1", .security_group_ids = {"sg-1"},
          .user_data = "", .tags = {}, .block_device_mappings = {}};
}

TEST(Ec2CodecTest, LaunchTemplateWithoutMappingsGetsTheDefaultRootVolume) {
  auto f = AsMap(CreateLaunchTemplate(Request(), LaunchTemplateDefaults{}));
  EXPECT_EQ(f["LaunchTemplateData.BlockDeviceMapping.1.DeviceName"], "/dev/xvda");
  EXPECT_EQ(f["LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize"], "20");
  EXPECT_EQ(f["LaunchTemplateData.MetadataOptions.HttpTokens"], "required");
}

// The EC2NodeClass's blockDeviceMappings go to EC2 as written, including the
// snapshot that already holds the container images (cold start).
TEST(Ec2CodecTest, LaunchTemplateCarriesTheNodeClassMappings) {
  auto r = Request();
  model::BlockDeviceMapping root;
  root.device_name = "/dev/xvda";
  root.root_volume = true;
  root.ebs.volume_size = model::Quantity::Parse("100Gi").value();
  root.ebs.volume_type = "gp3";
  root.ebs.iops = 10000;
  root.ebs.throughput = 1000;
  root.ebs.encrypted = true;
  root.ebs.delete_on_termination = true;
  model::BlockDeviceMapping images;
  images.device_name = "/dev/xvdb";
  images.ebs.volume_size = model::Quantity::Parse("50G").value();  // 46.6 GiB: rounded up
  images.ebs.snapshot_id = "snap-0123";
  images.ebs.volume_initialization_rate = 300;
  r.block_device_mappings = {root, images};
  LaunchTemplateDefaults d;
  d.root_snapshot_id = "snap-default";
  auto f = AsMap(CreateLaunchTemplate(r, d));
  const std::string a = "LaunchTemplateData.BlockDeviceMapping.1.";
  const std::string b = "LaunchTemplateData.BlockDeviceMapping.2.";
  EXPECT_EQ(f[a + "DeviceName"], "/dev/xvda");
  EXPECT_EQ(f[a + "Ebs.VolumeSize"], "100");
  EXPECT_EQ(f[a + "Ebs.Iops"], "10000");
  EXPECT_EQ(f[a + "Ebs.Throughput"], "1000");
  EXPECT_EQ(f[a + "Ebs.Encrypted"], "true");
  EXPECT_EQ(f.count(a + "Ebs.SnapshotId"), 0u);  // the defaults' snapshot is not mixed in
  EXPECT_EQ(f[b + "DeviceName"], "/dev/xvdb");
  EXPECT_EQ(f[b + "Ebs.VolumeSize"], "47");
  EXPECT_EQ(f[b + "Ebs.SnapshotId"], "snap-0123");
  EXPECT_EQ(f[b + "Ebs.VolumeInitializationRate"], "300");
  EXPECT_EQ(f.count("LaunchTemplateData.BlockDeviceMapping.3.DeviceName"), 0u);
}

}  // namespace
}  // namespace adze::adapters::aws::ec2
