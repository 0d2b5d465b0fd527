#include "cli/twin_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <tuple>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/twin/aws_endpoint.h"
#include "adapters/twin/object_store.h"
#include "adapters/twin/twin_cluster.h"
#include "adapters/twin/twin_ec2.h"
#include "catalog/catalog.h"
#include "cli/inputs.h"
#include "model/duration.h"

namespace adze::cli {
namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::pair<std::string, std::string> TwinAwsCredentials() {
  const char* key = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  if (key != nullptr && secret != nullptr && *key != '\0' && *secret != '\0') return {key, secret};
  return {"adze-twin", "adze-twin-secret"};
}

Result<twin::ServerFaults> ParseFaults(const std::vector<std::string>& faults) {
  twin::ServerFaults out;
  for (const std::string& f : faults) {
    size_t eq = f.find('=');
    std::string key = f.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : f.substr(eq + 1);
    auto bad = [&](const std::string& expected) { return Error::InvalidArgument("--fault " + f + ": " + expected); };
    if (key == "error-rate" || key == "throttle-rate") {
      double rate = -1;
      try {
        rate = std::stod(value);
      } catch (const std::exception&) {
      }
      if (!(rate >= 0 && rate <= 1)) return bad("expected a share of requests from 0 to 1, e.g. " + key + "=0.05");
      (key == "error-rate" ? out.error_rate : out.throttle_rate) = rate;
    } else if (key == "delay" || key == "drop-watches" || key == "compact") {
      auto d = model::ParseDuration(value);
      if (!d.ok() || *d < 0) return bad("expected a duration such as 100ms or 5s");
      auto ms = std::chrono::milliseconds(*d / model::kMillisecond);
      (key == "delay" ? out.delay : key == "drop-watches" ? out.watch_drop_after : out.compact_every) = ms;
    } else if (key == "seed") {
      try {
        out.seed = std::stoull(value);
      } catch (const std::exception&) {
        return bad("expected a non-negative integer");
      }
    } else {
      return bad(
          "unknown fault; expected one of error-rate=F, throttle-rate=F, delay=D, drop-watches=D, "
          "compact=D, seed=N");
    }
  }
  if (out.error_rate + out.throttle_rate > 1) {
    return Error::InvalidArgument("--fault: error-rate + throttle-rate is more than 1");
  }
  return out;
}

std::string TwinKubeconfig(int port) {
  return fmt::format(
      "apiVersion: v1\n"
      "kind: Config\n"
      "clusters:\n"
      "- name: adze-twin\n"
      "  cluster:\n"
      "    server: http://127.0.0.1:{}\n"
      "users:\n"
      "- name: adze-twin\n"
      "  user:\n"
      "    token: adze-twin\n"
      "contexts:\n"
      "- name: adze-twin\n"
      "  context:\n"
      "    cluster: adze-twin\n"
      "    user: adze-twin\n"
      "    namespace: default\n"
      "current-context: adze-twin\n",
      port);
}

int RunTwin(const TwinOptions& options, std::ostream& out, std::ostream& err) {
  if (!(options.speed > 0 && options.speed <= 10000)) {
    err << "adze twin: --speed " << options.speed << ": expected a number above 0 and at most 10000\n";
    return 2;
  }
  if (!options.aws && (!options.scenario_file.empty() || options.aws_port != 0 || !options.region.empty())) {
    err << "adze twin: --scenario, --aws-port and --region configure the AWS side: add --aws\n";
    return 2;
  }
  auto faults = ParseFaults(options.faults);
  if (!faults.ok()) {
    err << "adze twin: " << faults.error().message << "\n";
    return 2;
  }
  // The AWS side: the scenario's EC2 (pools, reservations, interruption
  // multiplier, CreateFleet latency) or the built-in defaults.
  std::unique_ptr<twin::TwinEc2> ec2;
  std::unique_ptr<twin::AwsEndpoint> aws;
  if (options.aws) {
    sim::Scenario scenario;
    if (!options.scenario_file.empty()) {
      auto loaded = LoadScenarioOrReport(options.scenario_file, err);
      if (!loaded) return 2;
      scenario = std::move(*loaded);
    }
    catalog::CapacityOptions base;
    base.prefix_delegation = scenario.cluster.prefix_delegation;
    base.region = options.region.empty() ? scenario.region : options.region;
    base.zones = scenario.zones;
    twin::TwinEc2Options ec2_options;
    ec2_options.speed = options.speed;
    ec2_options.seed = scenario.seed;
    ec2_options.region = base.region;
    ec2 = std::make_unique<twin::TwinEc2>(catalog::Catalog::Embedded(), scenario.ec2, base, ec2_options);
    twin::AwsEndpointOptions aws_options;
    aws_options.port = options.aws_port;
    aws_options.region = base.region;
    std::tie(aws_options.access_key_id, aws_options.secret_access_key) = TwinAwsCredentials();
    aws_options.seed = scenario.seed;
    aws = std::make_unique<twin::AwsEndpoint>(*ec2, aws_options);
    auto aws_port = aws->Start();
    if (!aws_port.ok()) {
      err << "adze twin: --aws-port " << options.aws_port << ": " << aws_port.error().message << "\n";
      return 1;
    }
    ec2->Start();
  }
  auto stop_aws = [&] {
    if (ec2) ec2->Stop();
    if (aws) aws->Stop();
  };
  twin::ObjectStore store(WallMicros, /*history_limit=*/20000);
  twin::TwinCluster cluster(store, options.speed, ec2.get());
  cluster.Bootstrap();
  twin::ServerOptions server_options;
  server_options.port = options.port;
  server_options.faults = *faults;
  twin::ApiServer server(store, server_options);
  auto port = server.Start();
  if (!port.ok()) {
    err << "adze twin: " << port.error().message << "\n";
    stop_aws();
    return 1;
  }
  if (!options.kubeconfig_out.empty()) {
    std::ofstream f(options.kubeconfig_out);
    f << TwinKubeconfig(*port);
    if (!f) {
      err << "adze twin: cannot write the kubeconfig to " << options.kubeconfig_out << "\n";
      server.Stop();
      stop_aws();
      return 1;
    }
  }
  if (options.output == "json") {
    nlohmann::json start{{"port", *port},
                         {"server", "http://127.0.0.1:" + std::to_string(*port)},
                         {"kubeconfig", options.kubeconfig_out},
                         {"speed", options.speed}};
    if (aws) {
      start["aws_endpoint"] = aws->url();
      start["aws_port"] = aws->port();
      start["region"] = aws->options().region;
      start["interruption_queue"] = aws->options().default_queue;
      start["interruption_queue_url"] = aws->queue_url();
      start["access_key_id"] = aws->options().access_key_id;
    }
    out << start.dump() << std::endl;
  } else {
    out << "adze twin: serving the Kubernetes API on http://127.0.0.1:" << *port << " (speed " << options.speed << "x)";
    if (!options.kubeconfig_out.empty()) out << "; export KUBECONFIG=" << options.kubeconfig_out;
    out << std::endl;
    if (aws) {
      out << "adze twin: serving AWS (EC2, SQS, SSM, Pricing, STS) on " << aws->url() << ": region "
          << aws->options().region << ", interruption queue " << aws->options().default_queue << ", access key id "
          << aws->options().access_key_id << "\n"
          << "  adze controller --cloud-provider aws --endpoint-url " << aws->url() << " --region "
          << aws->options().region << " --interruption-queue " << aws->options().default_queue << std::endl;
    }
  }
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  while (!g_stop.load()) {
    cluster.Step(WallMicros());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  server.Stop();
  stop_aws();
  if (options.output != "json") {
    out << "adze twin: stopped after " << server.requests() << " requests";
    if (aws) out << " and " << aws->requests() << " AWS requests";
    out << "\n";
  }
  return 0;
}

void RegisterTwinCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TwinOptions>();
  CLI::App* cmd = app.add_subcommand(
      "twin", "Serve a local Kubernetes API (kubectl, the Python client and `adze controller` can use it)");
  cmd->add_option("--port", options->port, "Port on 127.0.0.1 (0: a free port, printed at start)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--kubeconfig-out", options->kubeconfig_out, "Write a kubeconfig for the twin to this file");
  cmd->add_option("--speed", options->speed, "Divide node registration and readiness delays by this (default 1)");
  cmd->add_option("--fault", options->faults,
                  "Inject faults: error-rate=F (500s), throttle-rate=F (429s), delay=D, drop-watches=D "
                  "(end every watch after D), compact=D (forget watch history every D: 410 Gone), seed=N")
      ->take_all();
  cmd->add_flag("--aws", options->aws,
                "Also serve AWS (EC2, SQS, SSM, Pricing, STS) from the simulator's EC2, for "
                "`adze controller --cloud-provider aws --endpoint-url`");
  cmd->add_option("--aws-port", options->aws_port, "Port of the AWS endpoint on 127.0.0.1 (0: a free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--region", options->region, "AWS region the twin serves (default: the scenario's, else us-east-1)");
  cmd->add_option("--scenario", options->scenario_file,
                  "Scenario file whose ec2: section (pools, reservations, spot interruption multiplier, "
                  "createFleetLatency) and catalog settings configure the twin's EC2")
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output, "Start line format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([options, &exit_code] { exit_code = RunTwin(*options, std::cout, std::cerr); });
}

}  // namespace adze::cli
