#!/bin/bash
# `adze controller` end to end against `adze twin`: two replicas, one leader;
# a pending pod gets a NodeClaim (KWOK provider), the twin registers the Node,
# the pod runs; /metrics parses with promtool; SIGKILL of the leader and the
# other takes over within the lease duration and provisions the next pod;
# SIGTERM releases the lease.
# Usage: controller_e2e.sh ADZE_BINARY
set -euo pipefail
ADZE=$1
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$TMP"/*.log; do echo "== $f"; tail -5 "$f"; done >&2; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A flag the controller cannot read stops it before it touches the cluster.
out=$("$ADZE" controller --lost-work-payback soon 2>&1) && fail "--lost-work-payback soon was accepted"
grep -q -- '--lost-work-payback: found "soon", expected a duration such as 30m' <<<"$out" || fail "unexpected error: $out"
out=$("$ADZE" controller --fewer-nodes-premium 50 2>&1) && fail "--fewer-nodes-premium 50 was accepted"
grep -q -- '--fewer-nodes-premium: found "50", expected a percentage' <<<"$out" || fail "unexpected error: $out"

"$ADZE" twin --speed 100 --kubeconfig-out "$TMP/kubeconfig" > "$TMP/twin.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$TMP/kubeconfig" ] && break; sleep 0.1; done
export KUBECONFIG=$TMP/kubeconfig

declare -A METRICS PID
for r in a b; do
  METRICS[$r]=$(free_port)
  "$ADZE" controller --kubeconfig "$KUBECONFIG" --identity "$r" --bind-address 127.0.0.1 \
    --metrics-port "${METRICS[$r]}" --health-probe-port "$(free_port)" > "$TMP/controller-$r.log" 2>&1 &
  PID[$r]=$!
  PIDS+=($!)
done
leader_gauge() { curl -sf "127.0.0.1:${METRICS[$1]}/metrics" | awk '$1=="adze_controller_leader"{print $2}'; }
holder() { kubectl get lease -n kube-system karpenter-leader-election -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
for _ in $(seq 100); do [ -n "$(holder)" ] && break; sleep 0.1; done
LEADER=$(holder)
[ "$LEADER" = a ] || [ "$LEADER" = b ] || fail "no leader"
OTHER=$([ "$LEADER" = a ] && echo b || echo a)
sleep 2.5  # both have run an election round
[ "$(leader_gauge "$LEADER")" = 1 ] || fail "leader $LEADER does not report leading"
[ "$(leader_gauge "$OTHER")" = 0 ] || fail "standby $OTHER reports leading"

cat > "$TMP/pool.yaml" <<'YAML'
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
  limits: {cpu: "1000"}
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
pod() {
  cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: default}
spec:
  containers:
  - {name: c, image: nginx, resources: {requests: {cpu: "$2", memory: 2Gi}}}
YAML
}
wait_running() {
  for _ in $(seq 150); do
    [ "$(kubectl get pod "$1" -o jsonpath='{.status.phase}')" = Running ] && return 0
    sleep 0.1
  done
  fail "pod $1 not Running"
}
kubectl apply -f "$TMP/pool.yaml"
pod web-0 2
wait_running web-0
[ "$(kubectl get nodeclaims -o name | wc -l)" = 1 ] || fail "expected one NodeClaim: $(kubectl get nodeclaims -o name)"
NODE=$(kubectl get pod web-0 -o jsonpath='{.spec.nodeName}')
CLAIM=$(kubectl get nodeclaims -o jsonpath='{.items[0].metadata.name}')
init() { kubectl get nodeclaim "$CLAIM" -o jsonpath='{.status.conditions[?(@.type=="Initialized")].status}'; }
for _ in $(seq 100); do [ "$(init)" = True ] && break; sleep 0.1; done
[ "$(init)" = True ] || fail "NodeClaim $CLAIM not Initialized"
[ "$(kubectl get nodeclaim "$CLAIM" -o jsonpath='{.status.nodeName}')" = "$NODE" ] || fail "claim not linked to $NODE"
[ "$(kubectl get node "$NODE" -o jsonpath='{.metadata.labels.karpenter\.sh/capacity-type}')" = on-demand ] \
  || fail "node not on-demand"

curl -sf "127.0.0.1:${METRICS[$LEADER]}/metrics" > "$TMP/metrics.txt"
promtool check metrics < "$TMP/metrics.txt" || fail "promtool rejects /metrics"
grep -q '^karpenter_nodeclaims_created_total 1$' "$TMP/metrics.txt" || fail "leader did not count the claim"
curl -sf "127.0.0.1:${METRICS[$OTHER]}/metrics" | grep -q '^karpenter_nodeclaims_created_total 0$' \
  || fail "the standby acted"

# Failover: SIGKILL leaves the lease held; the standby takes it once it has
# gone unrenewed for the lease duration (15 s), checking every 2 s.
kill -KILL "${PID[$LEADER]}"
START=$(date +%s.%N)
for _ in $(seq 250); do [ "$(holder)" = "$OTHER" ] && break; sleep 0.1; done
[ "$(holder)" = "$OTHER" ] || fail "no failover"
ELAPSED=$(echo "$(date +%s.%N) - $START" | bc)
echo "failover after ${ELAPSED}s"
(( $(echo "$ELAPSED < 18" | bc) )) || fail "failover took ${ELAPSED}s"
pod web-1 3
wait_running web-1
[ "$(kubectl get nodeclaims -o name | wc -l)" = 2 ] || fail "expected a second NodeClaim"

# Graceful shutdown gives the lease up.
kill -TERM "${PID[$OTHER]}"
wait "${PID[$OTHER]}" || fail "controller exited non-zero on SIGTERM"
[ -z "$(holder)" ] || fail "lease not released: $(holder)"
grep -q '"message":"stopping controller"' "$TMP/controller-$OTHER.log" || fail "no JSON shutdown log"
echo "controller e2e: ok"
