#!/bin/bash
# Live: a do-not-disrupt training gang keeps running while consolidation
# removes every idle node around it. The gang (karpenter.sh/do-not-disrupt
# pods on GPU nodes) and a CPU Deployment start together; the CPU Deployment
# is scaled to zero; consolidation then removes every node without pods,
# and the gang's pods are the same pods, Running, on the same nodes.
# Usage: live_do_not_disrupt_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
source "$(dirname "$0")/live_lib.sh"

start_twin
start_controller a --no-headroom  # every idle node goes (adze keeps none for recent demand)
apply_pools
kubectl apply -f - > /dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: gang, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: gang}}
  template:
    metadata:
      labels: {app: gang}
      annotations: {karpenter.sh/do-not-disrupt: "true"}
    spec:
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - name: trainer
        image: registry.example.com/llm/trainer:2.4
        resources:
          requests: {cpu: "3", memory: 12Gi, nvidia.com/gpu: "1"}
          limits: {nvidia.com/gpu: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: default}
spec:
  replicas: 6
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      containers:
      - {name: c, image: busybox, resources: {requests: {cpu: "7", memory: 8Gi}}}
YAML
wait_for 90 "the gang running" deployment_ready default gang 2
wait_for 90 "batch running" deployment_ready default batch 6
gang_state() { kubectl get pods -l app=gang -o jsonpath='{range .items[*]}{.metadata.uid} {.spec.nodeName} {.status.phase}{"\n"}{end}' | sort; }
BEFORE=$(gang_state)
NODES_BEFORE=$(kubectl get nodes -o name | wc -l)
kubectl patch deployment batch --type=merge -p '{"spec":{"replicas":0}}' > /dev/null
# Nodes that hold no pod at all.
idle_nodes() {
  comm -23 <(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort) \
           <(kubectl get pods -A -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u)
}
no_idle_nodes() { [ -z "$(idle_nodes)" ]; }
wait_for 120 "consolidation removed the idle nodes (left: $(idle_nodes | tr '\n' ' '))" no_idle_nodes
AFTER=$(gang_state)
[ "$BEFORE" = "$AFTER" ] || fail "the gang was disrupted: before
$BEFORE
after
$AFTER"
echo "$AFTER" | awk '$3 != "Running" {exit 1}' || fail "a gang pod is not Running"
EVICTED=$(kubectl get events -A -o jsonpath='{range .items[*]}{.reason} {.involvedObject.name}{"\n"}{end}' | grep -c "^Evicted gang-" || true)
[ "$EVICTED" = 0 ] || fail "$EVICTED gang pods evicted"
wait_for 40 "every running instance has a claim" instances_match_claims
echo "PASS: $NODES_BEFORE nodes -> $(kubectl get nodes -o name | wc -l); the gang's 2 pods untouched"
