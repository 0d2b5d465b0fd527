// `adze twin`: a local stand-in for an EKS cluster's Kubernetes API, for
// kubectl, the Python client and `adze controller`. It serves the API on
// 127.0.0.1 from an in-memory store (adapters/twin), runs the twin's
// kube-scheduler and kubelets (NodeClaims with a providerID become Nodes
// after the simulator's calibrated delays divided by --speed), writes a
// kubeconfig for itself, and runs until SIGINT or SIGTERM.
// --fault injects the failures the reliability tests need.
// --aws also serves the AWS side (adapters/twin/aws_endpoint.h) from the
// simulator's EC2 run in real time, so `adze controller --cloud-provider aws
// --endpoint-url` launches instances that become the twin's Nodes.
// Thread-safety: not thread-safe (a command runs once).
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "adapters/twin/api_server.h"
#include "model/result.h"

namespace adze::cli {

struct TwinOptions {
  int port = 0;                     // 0: a free port, printed at start
  std::string kubeconfig_out;       // where to write the kubeconfig ("" : not written)
  double speed = 1;                 // delays are divided by this
  std::vector<std::string> faults;  // error-rate=F throttle-rate=F delay=D drop-watches=D compact=D
  std::string output = "text";      // -o text | json: the start line
  // The AWS side (--aws): EC2, SQS, SSM, Pricing and STS on one more port.
  bool aws = false;
  int aws_port = 0;                 // 0: a free port
  std::string region;               // default: the scenario's, else us-east-1
  std::string scenario_file;        // its ec2: section and catalog settings configure the EC2
};

// The twin's AWS credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when
// both are set, else adze-twin / adze-twin-secret.
std::pair<std::string, std::string> TwinAwsCredentials();

// Parses --fault values; errors name the flag value and what was expected.
Result<twin::ServerFaults> ParseFaults(const std::vector<std::string>& faults);

// The kubeconfig text for a twin on this port.
std::string TwinKubeconfig(int port);

int RunTwin(const TwinOptions& options, std::ostream& out, std::ostream& err);

void RegisterTwinCommand(CLI::App& app, int& exit_code);

}  // namespace adze::cli
