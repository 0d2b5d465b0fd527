#include "cli/inputs.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/scenario/default_scenario.h"
#include "sim/scenario/scenario_decoder.h"

namespace adze::cli {

Result<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  // A directory opens as a stream on Linux and reads as nothing; say so
  // rather than plan for an empty input.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error::InvalidArgument(path + " is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error::Internal("cannot read " + path);
  return ss.str();
}

Result<catalog::Catalog> LoadCatalogOverride(const std::string& catalog_file, const std::string& zones_file) {
  Result<std::string> types = ReadFile(catalog_file);
  if (!types.ok()) return types.error();
  std::string zones_path = zones_file;
  if (zones_path.empty()) {
    size_t slash = catalog_file.find_last_of('/');
    zones_path = (slash == std::string::npos ? std::string() : catalog_file.substr(0, slash + 1)) +
                 "zones-us-east-1.csv";
  }
  Result<std::string> zones = ReadFile(zones_path);
  if (!zones.ok()) return Error::NotFound(zones.error().message + " (pass --zones FILE with the zone offerings)");
  return catalog::Catalog::FromCsvFiles(*types, *zones, catalog_file, zones_path, catalog_file);
}

Result<codec::Manifests> LoadManifests(const std::vector<std::string>& paths) {
  codec::Manifests all;
  for (const std::string& path : paths) {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) return text.error();
    Result<codec::Manifests> m = codec::DecodeManifests(*text, path == "-" ? "<stdin>" : path);
    if (!m.ok()) return m.error();
    // An empty file or empty stdin is almost always a mistake (a failed
    // `kubectl get` piped in, a wrong path); planning it would print "no
    // pending pods" and exit 0 as if all were well.
    if (m->documents == 0) {
      return Error::InvalidArgument((path == "-" ? std::string("<stdin>") : path) +
                                    ": no objects found (the input is empty or holds only comments)");
    }
    for (const codec::Diagnostic& w : m->warnings) std::cerr << "warning: " << w.ToString() << "\n";
    m->warnings.clear();
    if (Result<bool> appended = all.Append(std::move(m).value()); !appended.ok()) return appended.error();
  }
  return all;
}

std::optional<sim::Scenario> LoadScenarioOrReport(const std::string& file, std::ostream& err) {
  std::vector<codec::Diagnostic> warnings;
  Result<sim::Scenario> scenario = Error::Internal("unset");
  if (file.empty()) {
    scenario = sim::DefaultScenario();
  } else {
    auto text = ReadFile(file);
    if (!text.ok()) {
      err << "error: " << text.error().message << "\n";
      return std::nullopt;
    }
    scenario = sim::DecodeScenario(*text, file, sim::ReadLocalFile, &warnings);
  }
  for (const auto& w : warnings) err << "warning: " << w.ToString() << "\n";
  if (!scenario.ok()) {
    err << "error: " << scenario.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*scenario);
}

}  // namespace adze::cli
