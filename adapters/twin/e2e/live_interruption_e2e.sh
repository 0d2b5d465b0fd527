#!/bin/bash
# Live: a spot interruption costs no pod. A Deployment runs on spot nodes;
# EC2 sends the two-minute warning (÷ speed) for one instance through SQS;
# the controller cordons and drains it, the Deployment's evicted pods come
# back and run on a replacement, and the old Node is gone before EC2's
# termination time. Every running instance has a claim at the end.
# Usage: live_interruption_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
SPEED=${SPEED:-10}  # a 12 s notice: room for a drain in real time
source "$(dirname "$0")/live_lib.sh"

start_twin
start_controller a
apply_pools
kubectl apply -f - > /dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {karpenter.sh/capacity-type: spot}
      containers:
      - {name: c, image: nginx, resources: {requests: {cpu: "3", memory: 4Gi}}}
YAML
wait_for 90 "web has 3 ready replicas" deployment_ready default web 3
POD=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
NODE=$(node_of_pod default "$POD")
INSTANCE=$(kubectl get node "$NODE" -o jsonpath='{.spec.providerID}' | sed 's|.*/||')
ON_NODE=$(kubectl get pods -l app=web -o jsonpath="{range .items[?(@.spec.nodeName==\"$NODE\")]}{.metadata.name}{\"\\n\"}{end}" | wc -l)
echo "interrupting $INSTANCE ($NODE, $ON_NODE of 3 web pods)"
T0=$(date +%s.%N)
twin_api POST spot-interruptions "{\"instanceIds\":[\"$INSTANCE\"]}" > /dev/null || fail "the twin refused the interruption"
NOTICE=$(echo "120 / $SPEED" | bc -l)
node_gone() { ! kubectl get node "$NODE" > /dev/null 2>&1; }
wait_for 60 "node $NODE deleted" node_gone
GONE_AFTER=$(echo "$(date +%s.%N) - $T0" | bc -l)
awk -v g="$GONE_AFTER" -v n="$NOTICE" 'BEGIN{exit !(g < n)}' ||
  fail "node gone ${GONE_AFTER}s after the warning, notice was ${NOTICE}s"
wait_for 90 "web back to 3 ready replicas" deployment_ready default web 3
for p in $(kubectl get pods -l app=web -o jsonpath='{.items[*].metadata.name}'); do
  [ "$(node_of_pod default "$p")" != "$NODE" ] || fail "pod $p still on the interrupted node"
done
[ "$(kubectl get pods -l app=web --field-selector=status.phase=Failed -o name | wc -l)" = 0 ] || fail "a web pod failed"
[ "$(twin_api GET counters | json_get 'd["spotInterruptionWarnings"]')" -ge 1 ] || fail "EC2 sent no warning"
wait_for 40 "every running instance has a claim" instances_match_claims
echo "PASS: node gone ${GONE_AFTER}s after the warning (notice ${NOTICE}s); 3/3 web pods running elsewhere"
