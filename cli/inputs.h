// Reading what the user points a command at: files (or "-" for stdin) of
// Kubernetes and Karpenter manifests. The only file I/O of the manifest path.
// Thread-safety: functions without shared state.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "model/codec/manifests.h"
#include "model/result.h"
#include "sim/scenario.h"

namespace adze::cli {

// Reads a whole file; "-" reads standard input.
Result<std::string> ReadFile(const std::string& path);

// The catalog of `--catalog FILE [--zones FILE]` (zones default: the
// zones-us-east-1.csv beside FILE). Errors name the files as given.
Result<catalog::Catalog> LoadCatalogOverride(const std::string& catalog_file, const std::string& zones_file);

// Decodes every file (YAML or JSON, multi-document, kind: List) into one set
// of manifests. Warnings (unknown fields, ...) are printed to stderr.
Result<codec::Manifests> LoadManifests(const std::vector<std::string>& paths);

// The scenario of `simulate` and `compare`: the built-in default when file is
// empty, else the file (its referenced files read beside it). Warnings are
// printed to err as they are found; on an error the message is printed and
// nullopt returned.
std::optional<sim::Scenario> LoadScenarioOrReport(const std::string& file, std::ostream& err);

}  // namespace adze::cli
