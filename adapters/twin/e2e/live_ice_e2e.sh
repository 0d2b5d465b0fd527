#!/bin/bash
# Live: insufficient capacity on the preferred offering. EC2 has no
# on-demand g6.xlarge in any zone; the inference pod's CreateFleet falls back
# to the next override in the same call (no second batch, no pod left
# pending), and the controller caches the unavailable offerings (3 min):
# the next launch does not ask EC2 for them again.
# Usage: live_ice_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
source "$(dirname "$0")/live_lib.sh"

start_twin
twin_api POST insufficient-capacity '{"instanceTypes":["g6.xlarge"],"capacityType":"on-demand"}' > /dev/null ||
  fail "the twin refused the insufficient-capacity block"
start_controller a
apply_pools
infer_pod() {
  kubectl apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: default}
spec:
  nodeSelector: {karpenter.sh/capacity-type: on-demand, karpenter.k8s.aws/instance-family: g6}
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers:
  - name: server
    image: registry.example.com/llm/server:1.8
    resources:
      requests: {cpu: "3", memory: 12Gi, nvidia.com/gpu: "1"}
      limits: {nvidia.com/gpu: "1"}
YAML
}
# Overrides EC2 answered InsufficientInstanceCapacity: the injected block, and full pools.
ice_errors() { twin_api GET counters | json_get 'd["faults"]["blockedOverrides"] + d["insufficientCapacityErrors"]'; }

infer_pod infer-0
wait_for 60 "infer-0 Running despite the ICE" pod_running default infer-0
TYPE=$(node_label "$(node_of_pod default infer-0)" node.kubernetes.io/instance-type)
[ "$TYPE" != g6.xlarge ] || fail "launched the blocked g6.xlarge"
case "$TYPE" in g6.*) ;; *) fail "fell back to $TYPE, want the next g6 size" ;; esac
ERRORS=$(ice_errors)
[ "$ERRORS" -ge 1 ] || fail "EC2 reported no insufficient capacity (the override was never tried)"
[ "$(twin_api GET counters | json_get 'd["createFleetCalls"]')" = 1 ] || fail "the fallback took more than one CreateFleet call"
[ "$(claims_count)" = 1 ] || fail "want 1 claim, have $(claims_count)"

# A second pod of the same shape (it needs a node of its own: infer-0 holds
# that node's GPU): its launch leaves the cached offerings out, so EC2
# reports no new insufficient capacity.
infer_pod infer-1
wait_for 60 "infer-1 Running" pod_running default infer-1
CALLS=$(twin_api GET counters | json_get 'd["createFleetCalls"]')
[ "$CALLS" = 2 ] || fail "want a second CreateFleet for infer-1, EC2 saw $CALLS calls"
[ "$(ice_errors)" = "$ERRORS" ] || fail "the second launch asked for the unavailable offering again ($ERRORS -> $(ice_errors) errors)"
wait_for 40 "every running instance has a claim" instances_match_claims
echo "PASS: fell back to $TYPE in one CreateFleet; $ERRORS ICE error(s), none repeated on the next launch"
