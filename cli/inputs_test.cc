#include "cli/inputs.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include "cli/test_temp_file.h"

namespace adze::cli {
namespace {

std::string TempPath(const std::string& name) {
  return testing::TempPath("adze_inputs_test_", name);
}

// Issue 15 class 5: these used to plan as "no pending pods" with exit 0.
TEST(InputsTest, DirectoryIsRejected) {
  std::string dir = TempPath("dir");
  std::filesystem::create_directories(dir);
  Result<codec::Manifests> m = LoadManifests({dir});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, dir + " is a directory, not a file");
}

TEST(InputsTest, EmptyOrCommentOnlyFileIsRejected) {
  for (const std::string text : {"", "\n\n", "# nothing here\n---\n"}) {
    std::string path = TempPath("empty.yaml");
    std::ofstream(path) << text;
    Result<codec::Manifests> m = LoadManifests({path});
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.error().message, path + ": no objects found (the input is empty or holds only comments)");
  }
}

// Issue 15 class 7: errors named "<file>/instance-types.csv", a path that
// does not exist (the file was treated as a folder).
TEST(InputsTest, CatalogOverrideErrorsNameTheFilesGiven) {
  std::string types = TempPath("types.csv");
  std::string zones = TempPath("zones.csv");
  std::ofstream(types) << "instance_type\nm5.large\n";
  std::ofstream(zones) << "instance_type,zone,zone_id,as_of\n";
  Result<catalog::Catalog> c = LoadCatalogOverride(types, zones);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.rfind(types + ":", 0), 0u) << c.error().message;
}

}  // namespace
}  // namespace adze::cli
