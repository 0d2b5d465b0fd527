// `adze plan`: what Karpenter would launch for a set of pending pods. Reads
// pods (and the Deployments, Jobs and `kind: List`s that hold them),
// NodePools with their EC2NodeClasses, DaemonSets, optionally the Nodes that
// already exist and the PersistentVolumeClaims, PersistentVolumes and
// StorageClasses the pods' volumes use, runs the provisioning simulation (scheduling::Solve) and
// prints the new NodeClaims, the pods that fit on existing nodes, the pods that
// cannot be placed and why, and the plan's cost against a lower bound.
// `--explain POD` shows instead, per NodePool and instance type, the first
// constraint that rules it out for that pod (scheduling::Explain).
// Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "catalog/catalog.h"
#include "model/codec/manifests.h"
#include "model/result.h"
#include "scheduling/solver.h"

namespace adze::cli {

struct PlanOptions {
  std::vector<std::string> files;  // -f, repeatable; "-" reads stdin
  std::string catalog_file;        // --catalog: instance-types.csv (default: embedded)
  std::string zones_file;          // --zones: zones-<region>.csv (default: beside --catalog)
  bool prefix_delegation = false;  // --prefix-delegation
  std::string packer = "adze";     // --packer: adze | karpenter
  int max_instance_types = 60;     // --max-instance-types: options kept per claim
  std::string min_values_policy = "Strict";  // --min-values-policy: Strict | BestEffort
  bool thorough = false;           // --thorough: the adze packer tries more thresholds
  std::string fewer_nodes_premium = "0";  // --fewer-nodes-premium 50%: fewer, larger nodes for at most 50% more
  std::string explain;             // --explain POD: name or namespace/name
  std::string output = "table";    // -o: table | json | yaml
};

// Turns decoded manifests into the solver's input:
//  - Deployments expand to `replicas` pods named <deployment>-<i>, Jobs to
//    min(parallelism, completions) pods named <job>-<i>, each a copy of the
//    template (labels included) owned by its workload;
//  - a pod whose nodeName names an input Node is bound to it (NodeInput.pods);
//    a pod whose nodeName names no input Node is ignored with a warning;
//  - every other pod, except DaemonSet-owned ones, is pending;
//  - PVCs, PVs and StorageClasses are passed on for volume topology;
//  - each NodePool gets the catalog's types resolved under its EC2NodeClass
//    (an error when that class is missing) and, as usage, the summed capacity
//    of the input Nodes labelled karpenter.sh/nodepool=<pool>.
// Warnings go to `warnings` (one "warning: ..." line each). The instance types
// point into `catalog`, which must outlive the result.
Result<scheduling::SolverInput> BuildSolverInput(codec::Manifests manifests, const catalog::Catalog& catalog,
                                                 const catalog::CapacityOptions& capacity, std::ostream& warnings);

// Runs the command; writes results to out, warnings and errors to err. Returns
// the process exit code: 0 when a plan was made (also when some pods are
// unschedulable: they are part of the plan), 1 on bad input.
int RunPlan(const PlanOptions& options, std::ostream& out, std::ostream& err);

// Adds the sub-command to app; its callback stores the exit code.
void RegisterPlanCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
