#!/bin/bash
# Live: SIGKILL of the controller in the middle of a launch. EC2 answers
# CreateFleet slowly (a fault), the controller is killed while the call is in
# flight — EC2 still launches that instance, and nobody records it. A new
# controller starts: the pending pod is placed, there is one claim (no
# duplicate), and an instance no claim records is terminated after the 30 s
# garbage-collection grace: every running instance has a claim.
# Usage: live_restart_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
source "$(dirname "$0")/live_lib.sh"

start_twin
twin_api POST faults '{"createFleetDelaySeconds":4}' > /dev/null || fail "the twin refused the fault"
start_controller a
apply_pools
kubectl apply -f - > /dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: default}
spec:
  containers:
  - {name: c, image: nginx, resources: {requests: {cpu: "2", memory: 2Gi}}}
YAML
fleet_called() { [ "$(twin_api GET counters | json_get 'd["createFleetCalls"]')" -ge 1 ]; }
wait_for 30 "CreateFleet called" fleet_called
kill -9 "${CONTROLLER_PID[a]}"
wait "${CONTROLLER_PID[a]}" 2>/dev/null || true
echo "killed the controller while CreateFleet was in flight"
twin_api POST faults '{"createFleetDelaySeconds":0}' > /dev/null
launched() { [ "$(twin_api GET counters | json_get 'd["launches"]')" -ge 1 ]; }
wait_for 20 "EC2 launched the first instance anyway" launched
T0=$(date +%s)
start_controller b
wait_for 60 "web-0 Running after the restart" pod_running default web-0
[ "$(claims_count)" = 1 ] || fail "want 1 claim, have $(claims_count)"
# Either the new controller launched again (the first instance is then an
# orphan) or it found the instance tagged with its claim; never more.
LAUNCHES=$(twin_api GET counters | json_get 'd["launches"]')
[ "$LAUNCHES" -le 2 ] || fail "$LAUNCHES launches for one claim"
wait_for 90 "the orphaned instance terminated" instances_match_claims
echo "PASS: one claim, $LAUNCHES launch(es); instances match claims $(( $(date +%s) - T0 )) s after the restart"
