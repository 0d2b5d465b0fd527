#!/bin/bash
# make live-demo: the whole loop live on this machine. `adze twin --aws`
# plays EKS + EC2 (the simulator's EC2: pools, spot, interruptions),
# `adze controller` is the autoscaler (the same binary a user deploys,
# talking HTTP to the twin), kubectl is the user. It applies the GPU
# examples and shows pods going Pending -> Running on the right types, a
# spot interruption handled, and consolidation removing idle nodes, then
# `kubectl get` and the controller's /metrics. Everything runs on 127.0.0.1
# and stops at the end (or on Ctrl-C).
# Usage: scripts/live-demo.sh ADZE_BINARY [SPEED]
ADZE=${1:?usage: live-demo.sh ADZE_BINARY [SPEED]}
SPEED=${2:-20}
EXAMPLES="$(cd "$(dirname "$0")/.." && pwd)/examples"
source "$(dirname "$0")/../adapters/twin/e2e/live_lib.sh"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show_pods() { command kubectl get pods -A -o wide 2>/dev/null | cut -c1-120; }
watch_until() {  # seconds description command...: prints the pods every 3 s until the command succeeds
  local seconds=$1 what=$2 end=$(( $(date +%s) + $1 ))
  shift 2
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || fail "$what did not happen within ${seconds}s"
    echo "-- $(date +%T)"; show_pods; sleep 3
  done
}

step "1. adze twin --aws --speed $SPEED (EKS + EC2 on 127.0.0.1; node boot delays ÷ $SPEED)"
start_twin
echo "Kubernetes API: $(command kubectl config view -o jsonpath='{.clusters[0].cluster.server}')   AWS endpoint: $AWS_EP"
step "2. adze controller --cloud-provider aws --endpoint-url $AWS_EP --no-headroom"
# --no-headroom: idle nodes go as soon as they are idle (adze's default keeps
# room for each pool's recent demand, so some would stay a while).
start_controller demo --no-headroom
echo "controller log: $TMP/controller-demo.log   metrics: http://127.0.0.1:${METRICS_PORT[demo]}/metrics"

step "3. kubectl apply: the GPU NodePool + a CPU pool, an 8×H100 training worker, a 4-GPU inference pod"
kubectl create namespace training > /dev/null
kubectl create namespace serving > /dev/null
apply_pools
kubectl apply -f "$EXAMPLES/training-worker-8xh100.yaml" -f "$EXAMPLES/inference-4gpu-pod.yaml"
watch_until 180 "the GPU pods running" bash -c "[ \"\$(kubectl get pods -A --field-selector=status.phase!=Running -o name | wc -l)\" = 0 ]"
show_pods
command kubectl get nodes -L node.kubernetes.io/instance-type,karpenter.sh/capacity-type,topology.kubernetes.io/zone

step "4. A spot Deployment, then EC2 interrupts one of its nodes (two-minute warning ÷ $SPEED via SQS)"
kubectl apply -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {karpenter.sh/capacity-type: spot}
      containers:
      - {name: c, image: nginx, resources: {requests: {cpu: "3", memory: 4Gi}}}
YAML
watch_until 180 "web running" deployment_ready default web 4
NODE=$(node_of_pod default "$(command kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')")
INSTANCE=$(command kubectl get node "$NODE" -o jsonpath='{.spec.providerID}' | sed 's|.*/||')
echo "interrupting $INSTANCE (node $NODE)"
twin_api POST spot-interruptions "{\"instanceIds\":[\"$INSTANCE\"]}"; echo
node_gone() { ! command kubectl get node "$NODE" > /dev/null 2>&1; }
watch_until 120 "the interrupted node drained and deleted" node_gone
watch_until 180 "web back to 4 replicas" deployment_ready default web 4
echo "node $NODE is gone; web's pods run elsewhere:"
command kubectl get pods -l app=web -o wide | cut -c1-120
grep '"disrupting nodeclaim"\|"deleted nodeclaim"' "$TMP/controller-demo.log" | tail -4

step "5. Scale web to 0: consolidation removes the idle nodes"
kubectl patch deployment web --type=merge -p '{"spec":{"replicas":0}}'
idle() { comm -23 <(command kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort) \
                  <(command kubectl get pods -A -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u); }
no_idle() { [ -z "$(idle)" ]; }
watch_until 180 "the idle nodes removed" no_idle

step "6. The cluster now"
command kubectl get nodeclaims
command kubectl get nodes -L node.kubernetes.io/instance-type,karpenter.sh/capacity-type
step "7. The controller's /metrics (Karpenter's names)"
curl -sf "127.0.0.1:${METRICS_PORT[demo]}/metrics" | grep -E '^karpenter_(nodeclaims|nodes|pods|voluntary|interruption)[a-z_]*(\{| )' | head -25
step "8. EC2's view (the twin's counters)"
twin_api GET counters | json_get 'json.dumps({k: d[k] for k in ("launches","terminations","spotInterruptionWarnings","insufficientCapacityErrors","running","bill")}, indent=1)'
echo; echo "live demo done: stopping the twin and the controller."
