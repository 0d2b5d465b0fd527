// Entry point of every test binary (cmake/adze.cmake, adze_test): GoogleTest,
// with RapidCheck's parameters fixed so property tests are reproducible — the
// same seed and number of cases on every run — unless RC_PARAMS is set.
#include <cstdlib>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  setenv("RC_PARAMS", "seed=42 max_success=" ADZE_RC_CASES, /*overwrite=*/0);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
