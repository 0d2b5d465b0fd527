// adze: a GPU-aware node autoscaler for Kubernetes. This is the command-line
// entry point; each sub-command lives in its own file.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/catalog_command.h"
#include "cli/compare_command.h"
#include "cli/controller_command.h"
#include "cli/plan_command.h"
#include "cli/simulate_command.h"
#include "cli/twin_command.h"

int main(int argc, char** argv) {
  CLI::App app{"adze: GPU-aware node autoscaler for Kubernetes (Karpenter-compatible)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("adze 0.1.0"));
  app.footer("Run 'adze COMMAND --help' for a command's options.");

  int exit_code = 0;
  adze::cli::RegisterCatalogCommand(app, exit_code);
  adze::cli::RegisterPlanCommand(app, exit_code);
  adze::cli::RegisterSimulateCommand(app, exit_code);
  adze::cli::RegisterCompareCommand(app, exit_code);
  adze::cli::RegisterTwinCommand(app, exit_code);
  adze::cli::RegisterControllerCommand(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
