#!/bin/bash
# Live: two controller replicas against the twin's EKS + EC2. One leads;
# after SIGKILL of the leader, the other takes over within the lease
# duration (15 s + one 2 s retry) and provisions; nothing is launched twice.
# Usage: live_failover_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
source "$(dirname "$0")/live_lib.sh"

start_twin
start_controller a
start_controller b
apply_pools
holder() { kubectl get lease -n kube-system karpenter-leader-election -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
has_holder() { [ -n "$(holder)" ]; }
wait_for 20 "a leader" has_holder
LEADER=$(holder)
OTHER=$([ "$LEADER" = a ] && echo b || echo a)
pod() {
  kubectl apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: default}
spec:
  containers:
  - {name: c, image: nginx, resources: {requests: {cpu: "6", memory: 8Gi}}}
YAML
}
pod web-0
wait_for 60 "web-0 Running" pod_running default web-0
[ "$(metric "$OTHER" adze_controller_leader)" = 0 ] || fail "standby $OTHER reports leading"
kill -9 "${CONTROLLER_PID[$LEADER]}"
T0=$(date +%s.%N)
pod web-1
other_leads() { [ "$(holder)" = "$OTHER" ]; }
wait_for 30 "$OTHER takes the lease" other_leads
TAKEOVER=$(echo "$(date +%s.%N) - $T0" | bc -l)
awk -v t="$TAKEOVER" 'BEGIN{exit !(t <= 17.5)}' || fail "takeover after ${TAKEOVER}s (lease 15 s + retry 2 s)"
wait_for 60 "web-1 Running" pod_running default web-1
[ "$(claims_count)" = 2 ] || fail "want 2 claims, have $(claims_count)"
[ "$(twin_api GET counters | json_get 'd["launches"]')" = 2 ] || fail "launched other than twice"
wait_for 40 "every running instance has a claim" instances_match_claims
echo "PASS: $OTHER took over ${TAKEOVER}s after SIGKILL of $LEADER; 2 claims, 2 launches"
