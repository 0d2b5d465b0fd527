#!/bin/bash
# Live soak with faults (issue 14): the same workload twice against
# `adze twin --aws` + `adze controller` — once calm, once with the twin
# injecting faults on both APIs:
#   Kubernetes API  5 % of requests answered 500, watches dropped every 15 s
#   AWS APIs        5 % of calls answered 500; a throttling burst (50 % for
#                   5 s); a scale-up whose CreateFleet answers after its 60 s
#                   deadline (at least one, checked); an insufficient-capacity
#                   storm across the g4dn family as GPU pods scale up (until
#                   a launch has met it); three spot interruptions
#   controller      SIGKILL and restart, twice
# The controller runs with --no-headroom so that scale-downs consolidate (and
# the disruption budget is exercised).
# Then, with the faults cleared and the cluster settled, the invariants:
#   every Deployment's replicas run; no instance without a claim and no
#   claim without an instance; no do-not-disrupt pod evicted (the same pods
#   ran throughout); voluntary disruptions never exceeded the pool's budget;
#   instances launched within 20 % of the calm run (plus one per injected
#   interruption and per CreateFleet answered past its deadline: each costs
#   an instance that a calm run does not need).
# Prints the figures as JSON on the last line (docs/reliability.md).
# Usage: live_soak_e2e.sh ADZE_BINARY EXAMPLES_DIR
ADZE=$1 EXAMPLES=$2
SPEED=${SPEED:-20}
source "$(dirname "$0")/live_lib.sh"

# kubectl under API faults: retried, as an operator's scripts would.
# A manifest on stdin is read once and given to every attempt.
kubectl() {
  local i input="" from_stdin=0
  [[ " $* " == *" -f - "* ]] && { input=$(cat); from_stdin=1; }
  for i in 1 2 3 4 5 6 7 8; do
    if [ $from_stdin = 1 ]; then
      command kubectl "$@" <<< "$input" 2>> "$TMP/kubectl-retries.log" && return 0
    else
      command kubectl "$@" 2>> "$TMP/kubectl-retries.log" && return 0
    fi
    sleep 0.3
  done
  return 1
}

soak_pools() {
  kubectl apply -f - > /dev/null <<'YAML'
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
  disruption:
    consolidationPolicy: WhenEmptyOrUnderutilized
    consolidateAfter: 0s
    budgets: [{nodes: "2"}]
  limits: {cpu: "2000"}
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  role: KarpenterNodeRole-demo
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
YAML
  sed 's/consolidateAfter: 5m/consolidateAfter: 0s/; s/nodes: "10%"/nodes: "2"/' "$EXAMPLES/gpu-nodepool.yaml" |
    kubectl apply -f - > /dev/null
}
deployment() {  # name replicas capacity-type cpu [gpu] [do-not-disrupt]
  local gpu_req="" tol="" ann=""
  if [ -n "${5:-}" ]; then
    gpu_req=", nvidia.com/gpu: \"$5\""
    tol="tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]"
  fi
  [ -n "${6:-}" ] && ann='annotations: {karpenter.sh/do-not-disrupt: "true"}'
  kubectl apply -f - > /dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: default}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata:
      labels: {app: $1}
      $ann
    spec:
      nodeSelector: {karpenter.sh/capacity-type: $3}
      $tol
      containers:
      - {name: c, image: busybox, resources: {requests: {cpu: "$4", memory: 4Gi$gpu_req}}}
YAML
}
scale() { kubectl patch deployment "$1" --type=merge -p "{\"spec\":{\"replicas\":$2}}" > /dev/null; }
all_ready() {
  local out
  out=$(command kubectl get deploy -o jsonpath='{range .items[*]}{.spec.replicas} {.status.readyReplicas}{"\n"}{end}') || return 1
  [ -n "$out" ] && echo "$out" | awk '$1 != ($2 == "" ? 0 : $2) {bad=1} END {exit bad}'
}
# set_aws_faults ERROR_RATE THROTTLE_RATE CREATE_FLEET_DELAY_SECONDS: all
# three each time (the twin's POST /faults changes only the keys it is given).
set_aws_faults() {
  twin_api POST faults "{\"errorRate\":$1,\"throttleRate\":$2,\"createFleetDelaySeconds\":$3}" > /dev/null
  [ "$(twin_api GET faults | json_get 'd["throttleRate"] == '"$2"' and d["createFleetDelaySeconds"] == '"$3")" = True ] ||
    fail "the twin did not take the AWS faults $*"
}
blocked_overrides_at_least() { [ "$(twin_api GET counters | json_get 'd["faults"]["blockedOverrides"]')" -ge "$1" ]; }
delayed_fleets_at_least() { [ "$(twin_api GET counters | json_get 'd["faults"]["createFleetDelays"]')" -ge "$1" ]; }
dnd_pods() { kubectl get pods -l app=train -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' | sort; }

# One run of the workload. $1: calm | faults. Leaves its figures in $TMP/$1.json.
run() {
  local mode=$1 restarts=0 t0
  if [ "$mode" = faults ]; then
    start_twin --fault error-rate=0.05 --fault drop-watches=15s --fault seed=7
    set_aws_faults 0.05 0 0
  else
    start_twin
  fi
  start_controller "$mode-0" --no-headroom
  soak_pools
  deployment web 8 spot 3
  deployment api 4 on-demand 6
  deployment infer 2 spot 3 1
  deployment train 2 on-demand 3 1 dnd
  t0=$(date +%s)
  wait_for 150 "[$mode] the first wave running" all_ready
  local train_pods
  train_pods=$(dnd_pods)
  local phase
  for phase in 1 2 3 4; do
    # Faults that must meet this phase's scale-up are in place before it.
    if [ "$mode" = faults ]; then
      case $phase in
        1) set_aws_faults 0.05 0 65 ;;
        3) twin_api POST insufficient-capacity '{"family":"g4dn","durationSeconds":'"$((120 * SPEED))"'}' > /dev/null ;;
      esac
    fi
    case $phase in
      # +16 web pods (48 CPUs): more than the first wave's spot nodes have
      # left even when arrival sizing bought them roomy (a c6g.12xlarge for
      # the first 8 was seen half empty), so the faults run's scale-up must
      # launch and meet the CreateFleet delay.
      1) scale web 24 ;;
      2) scale web 4; scale api 2 ;;
      3) scale web 12; scale infer 4 ;;
      4) scale web 6; scale infer 1 ;;
    esac
    if [ "$mode" = faults ]; then
      case $phase in
        # The scale-up's CreateFleet answers after its 60 s deadline (the
        # instance arrives unclaimed: garbage collection's), then a
        # throttling burst.
        1) twin_api POST spot-interruptions '{"count":1}' > /dev/null
           wait_for 30 "[faults] a CreateFleet held past its deadline" delayed_fleets_at_least 1
           set_aws_faults 0.05 0.5 0
           sleep 5
           set_aws_faults 0.05 0 0 ;;
        2) kill -9 "${CONTROLLER_PID[$mode-$restarts]}"; restarts=$((restarts + 1)); start_controller "$mode-$restarts" --no-headroom ;;
        # An insufficient-capacity storm across the g4dn family, set above,
        # lasts until the inference scale-up's launch has met it.
        3) wait_for 90 "[faults] a CreateFleet met the insufficient-capacity storm" blocked_overrides_at_least 1
           twin_api DELETE insufficient-capacity > /dev/null
           twin_api POST spot-interruptions '{"count":1}' > /dev/null ;;
        4) kill -9 "${CONTROLLER_PID[$mode-$restarts]}"; restarts=$((restarts + 1)); start_controller "$mode-$restarts" --no-headroom
           twin_api POST spot-interruptions '{"count":1}' > /dev/null ;;
      esac
    fi
    sleep 12
  done
  if [ "$mode" = faults ]; then
    set_aws_faults 0 0 0
    twin_api DELETE insufficient-capacity > /dev/null || true
  fi
  wait_for 240 "[$mode] every Deployment's replicas running after the faults" all_ready
  wait_for 120 "[$mode] no instance without a claim, no claim without an instance" instances_match_claims
  [ "$(dnd_pods)" = "$train_pods" ] || fail "[$mode] a do-not-disrupt pod was replaced"
  # Voluntary disruptions in flight at once, per pool (claims are named
  # <pool>-<n>), from each controller process's log: from the decision to
  # the deletion, or to the command being abandoned. A decision dies with its
  # process (a SIGKILLed controller's commands are not carried on).
  local budget_peak
  budget_peak=$(/usr/bin/python3 - "$TMP"/controller-"$mode"-*.log <<'PY'
import collections, json, sys
peak = 0
for path in sys.argv[1:]:
    inflight = collections.defaultdict(set)
    for line in open(path):
        try: e = json.loads(line)
        except ValueError: continue
        m, c = e.get("message"), e.get("NodeClaim")
        if not c: continue
        pool = inflight[c.rsplit("-", 1)[0]]
        if m == "disrupting nodeclaim" and e.get("reason") in ("Underutilized", "Empty", "Drifted"):
            pool.add(c); peak = max(peak, len(pool))
        elif m in ("deleted nodeclaim", "abandoned disruption"): pool.discard(c)
print(peak)
PY
)
  [ "$budget_peak" -le 2 ] || fail "[$mode] $budget_peak voluntary disruptions at once in one pool, budget 2"
  # The calm run consolidates after each scale-down: a check that saw none
  # would check nothing.
  [ "$mode" = faults ] || [ "$budget_peak" -ge 1 ] || fail "[$mode] no voluntary disruption logged"
  twin_api GET counters > "$TMP/$mode-counters.json"
  twin_api GET instances > "$TMP/$mode-instances.json"
  /usr/bin/python3 - "$TMP/$mode-counters.json" "$mode" "$restarts" "$budget_peak" "$(( $(date +%s) - t0 ))" \
    "$(wc -l < "$TMP/kubectl-retries.log" 2>/dev/null || echo 0)" > "$TMP/$mode.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
print(json.dumps({"mode": sys.argv[2], "launches": c["launches"], "createFleetCalls": c["createFleetCalls"],
                  "faults": c["faults"], "insufficientCapacityErrors": c["insufficientCapacityErrors"],
                  "spotInterruptions": c["spotInterruptions"], "spotInterruptionWarnings": c["spotInterruptionWarnings"],
                  "controllerRestarts": int(sys.argv[3]),
                  "peakVoluntaryDisruptions": int(sys.argv[4]), "seconds": int(sys.argv[5]),
                  "kubectlErrorLines": int(sys.argv[6]), "violations": 0}))
PY
  # Stop this run's processes before the next.
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

run calm
run faults
CALM=$(json_get 'd["launches"]' < "$TMP/calm.json")
FAULTS=$(json_get 'd["launches"]' < "$TMP/faults.json")
# Faults that cost an instance by themselves are allowed on top: each
# interruption warning asks for a replacement (whether or not the instance
# is reclaimed before the run ends), and each CreateFleet answered after the
# controller gave up launches an instance nobody claims (garbage-collected).
INTERRUPTED=$(json_get 'd["spotInterruptionWarnings"]' < "$TMP/faults.json")
DELAYED=$(json_get 'd["faults"]["createFleetDelays"]' < "$TMP/faults.json")
awk -v f="$FAULTS" -v c="$CALM" -v x="$((INTERRUPTED + DELAYED))" 'BEGIN{exit !(f <= 1.2 * c + x && f >= 0.8 * c)}' ||
  fail "launched $FAULTS instances with faults, $CALM calm (+$INTERRUPTED interruptions, +$DELAYED late CreateFleets): beyond 20 %"
cat "$TMP/calm.json"
echo "{\"soak\": $(cat "$TMP/faults.json"), \"calm_launches\": $CALM}"
echo "PASS: invariants held under faults; launches $FAULTS vs $CALM calm (+$INTERRUPTED interrupted, +$DELAYED late CreateFleets)"
