#!/usr/bin/env bash
# The main job until the simulator lands: answer two real capacity questions
# from the built-in EC2 catalog.
set -euo pipefail
adze="${1:-build/release/cli/adze}"
cd "$(dirname "$0")/.."

echo "== Which instance types can carry an 8 x H100 training worker? (adze catalog --fits)"
"$adze" catalog --fits examples/training-worker-8xh100.yaml
echo
echo "== The 10 cheapest spot options in the GPU NodePool for a 4-GPU, >=40 GiB/GPU inference pod"
"$adze" catalog --nodepool examples/gpu-nodepool.yaml --fits examples/inference-4gpu-pod.yaml \
  --sort spot-gpu-hour --limit 10
echo
echo "== GPU types by on-demand price per GPU-hour, with pod density with/without prefix delegation"
"$adze" catalog --require 'karpenter.k8s.aws/instance-gpu-count>=1' --sort gpu-hour --limit 15
