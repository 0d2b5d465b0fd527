#!/bin/bash
# Live: GPU pods get the right nodes. The 8×H100 training worker of
# examples/ gets a p5.48xlarge claim and runs; a 1-GPU inference pod that
# needs 20 GiB of GPU memory gets a g6-class node (the cheapest that fits),
# not a p-class one. Every running instance has a claim.
# Usage: live_gpu_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
source "$(dirname "$0")/live_lib.sh"

start_twin
start_controller a
kubectl create namespace training > /dev/null
kubectl create namespace serving > /dev/null
apply_pools
T0=$(now)
kubectl apply -f "$EXAMPLES/training-worker-8xh100.yaml" > /dev/null
kubectl apply -f - > /dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: infer-0, namespace: serving}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: karpenter.k8s.aws/instance-gpu-memory, operator: Gt, values: ["20479"]}
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers:
  - name: server
    image: registry.example.com/llm/server:1.8
    resources:
      requests: {cpu: "3", memory: 12Gi, nvidia.com/gpu: "1"}
      limits: {nvidia.com/gpu: "1"}
YAML
wait_for 90 "the training worker Running" pod_running training llm-train-worker-0
wait_for 90 "the inference pod Running" pod_running serving infer-0
echo "both pods Running $(echo "$(now) - $T0" | bc) s after apply (speed $SPEED)"

TRAIN_NODE=$(node_of_pod training llm-train-worker-0)
INFER_NODE=$(node_of_pod serving infer-0)
[ "$(node_label "$TRAIN_NODE" node.kubernetes.io/instance-type)" = p5.48xlarge ] ||
  fail "training worker on $(node_label "$TRAIN_NODE" node.kubernetes.io/instance-type), want p5.48xlarge"
[ "$(node_label "$TRAIN_NODE" karpenter.sh/capacity-type)" = on-demand ] || fail "training node not on-demand"
INFER_TYPE=$(node_label "$INFER_NODE" node.kubernetes.io/instance-type)
case "$INFER_TYPE" in
  g6.*) ;;
  *) fail "inference pod on $INFER_TYPE, want a g6 type" ;;
esac
[ "$(node_label "$INFER_NODE" karpenter.k8s.aws/instance-category)" = g ] || fail "inference node not g-class"
# The claims name the nodes' types, and the instances are the claims'.
[ "$(claim_instance_ids | wc -l)" = 2 ] || fail "want 2 claims, have $(claim_instance_ids | wc -l)"
wait_for 10 "every running instance has a claim" instances_match_claims
LAUNCHES=$(twin_api GET counters | json_get 'd["launches"]')
[ "$LAUNCHES" = 2 ] || fail "EC2 launched $LAUNCHES instances, want 2"
echo "PASS: training on p5.48xlarge ($TRAIN_NODE), inference on $INFER_TYPE ($INFER_NODE)"
