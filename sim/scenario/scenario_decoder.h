// DecodeScenario: turns the text of a scenario file (apiVersion
// adze.dev/v1alpha1, kind Scenario) into a sim::Scenario, validating it and
// reporting the first problem as
//
//   run.yaml:42:17: workloads[1].loadCurve.diurnal.min: found -1, expected a non-negative integer
//
// The format, every field and its default are described in
// docs/scenario-format.md. NodePools, EC2NodeClasses, DaemonSets and
// PodDisruptionBudgets are given in their own Kubernetes/Karpenter schema,
// inline (`manifests:`, `cluster.daemonSets:`) or by file (`manifestFiles:`),
// and decoded by model/codec. Workloads carry Kubernetes pod templates.
//
// Files the scenario names (manifest files, load-curve CSVs, trace CSVs) are
// read through a FileReader, so decoding does no I/O of its own; relative
// paths are resolved against the directory of the scenario file.
//
// Unknown fields do not fail: they are returned as warnings, as the manifest
// codec does.
// Thread-safety: pure functions (the FileReader is called from the caller's
// thread).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/codec/diagnostic.h"
#include "model/result.h"
#include "sim/scenario.h"

namespace adze::sim {

inline constexpr std::string_view kScenarioApiVersion = "adze.dev/v1alpha1";
inline constexpr std::string_view kScenarioKind = "Scenario";

// Returns the contents of the file at path (already resolved against the
// scenario's directory), or an error saying why it could not be read.
using FileReader = std::function<Result<std::string>(const std::string& path)>;

// A FileReader over the local file system. Errors are NotFound and name the
// path.
Result<std::string> ReadLocalFile(const std::string& path);

// Decodes and validates a scenario. file_name is used in messages, as
// Scenario::file, and as the base for relative paths. Errors are
// InvalidArgument with the message "<file>:<line>:<col>: <field path>:
// <what was found and what was expected>"; a problem inside a referenced
// manifest file is reported at its own position, followed by
// "(in <field> at <scenario>:<line>:<col>)". When warnings is not null the
// non-fatal findings (unknown fields, fields not modelled, snapshots named by
// an EC2NodeClass but not declared) are appended to it, in file order per
// file.
Result<Scenario> DecodeScenario(std::string_view text, std::string_view file_name, const FileReader& read_file,
                                std::vector<codec::Diagnostic>* warnings = nullptr);

// Parses a scenario duration: a Go duration (90s, 1h30m, 168h) optionally
// preceded by a number of days with the suffix d (7d, 1.5d, 1d12h).
Result<Duration> ParseScenarioDuration(std::string_view text);

// Resolves path against the directory of file_name: absolute paths and
// paths when file_name has no directory are returned unchanged.
std::string ResolveScenarioPath(std::string_view file_name, std::string_view path);

}  // namespace adze::sim
