#!/usr/bin/env bash
# The main job: simulate a day of the built-in GPU cluster scenario (training on
# on-demand p5 protected by do-not-disrupt, inference on spot g5/g6, batch jobs,
# images pre-seeded on an EBS snapshot) with adze's controllers, and print what
# it cost and how long pods waited. The run's files go to build/demo-run/.
set -euo pipefail
adze="${1:-build/release/cli/adze}"
cd "$(dirname "$0")/.."

echo "== adze simulate (built-in default scenario; 'adze simulate --print-default-scenario' shows it)"
"$adze" simulate --out build/demo-run
