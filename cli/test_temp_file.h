// Temporary files for the cli tests. ctest runs each test case as its own
// process, two at a time: a file name shared by two cases let one case read
// the other's half-written file. The process id keeps each case's files apart.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace adze::cli::testing {

inline std::string TempPath(const std::string& prefix, const std::string& name) {
  return (std::filesystem::temp_directory_path() / (prefix + std::to_string(getpid()) + "_" + name)).string();
}

inline std::string WriteTempFile(const std::string& prefix, const std::string& name, const std::string& text) {
  const std::string path = TempPath(prefix, name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace adze::cli::testing
