// `adze catalog`: which EC2 instance types can carry a pod, what they cost and
// how many pods they hold, filtered by requirement expressions, a NodePool and
// a pod. Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace adze::cli {

struct CatalogOptions {
  std::vector<std::string> requires_;      // --require, repeatable
  std::vector<std::string> nodepool_files;  // --nodepool
  std::string pool_name;                    // --pool, when a file holds several
  std::string fits_file;                    // --fits
  bool prefix_delegation = false;
  bool include_retired = false;
  std::string catalog_file;  // --catalog: instance-types.csv
  std::string zones_file;    // --zones: zones-<region>.csv
  std::string sort = "od-price";
  bool descending = false;
  std::string output = "table";
  int limit = 0;  // 0: all
  // --from-aws: build the catalog from the live AWS APIs (adapters/aws)
  // instead of the embedded one; --region / --endpoint-url as the AWS CLI's;
  // --write-catalog DIR writes it in the embedded CSV format; --all-types
  // keeps every type, not only the embedded catalog's families.
  bool from_aws = false;
  std::string region;
  std::string endpoint_url;
  std::string write_catalog_dir;
  bool all_types = false;
};

// Runs the command; writes results to out and errors (and --from-aws
// progress) to err. Returns the
// process exit code (0 ok, 1 bad input).
int RunCatalog(const CatalogOptions& options, std::ostream& out, std::ostream& err);

// Adds the sub-command to app; its callback stores the exit code.
void RegisterCatalogCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
