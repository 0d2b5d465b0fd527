# Shared by the live end-to-end tests (issue 14): the real `adze twin --aws`
# as EKS + EC2, the real `adze controller --cloud-provider aws` talking HTTP
# to it, kubectl as the user. Every process binds 127.0.0.1 and is stopped
# on exit. Source it after setting ADZE (the binary) and, optionally, SPEED.
set -euo pipefail
: "${ADZE:?set ADZE to the adze binary}"
SPEED=${SPEED:-50}
TMP=$(mktemp -d)
PIDS=()
declare -A CONTROLLER_PID METRICS_PORT
live_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
}
trap live_cleanup EXIT
# A command that fails outside a condition ends the test with a message.
set -E
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR
fail() {
  trap - ERR
  echo "FAIL: $*" >&2
  for f in "$TMP"/*.log; do echo "== $f (last lines)"; tail -15 "$f"; done >&2
  kubectl get nodeclaims,nodes,pods -A -o wide >&2 2>/dev/null || true
  exit 1
}
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# The twin's credentials; the controller signs with them. Nothing from the
# user's ~/.aws is read.
export AWS_ACCESS_KEY_ID=adze-twin AWS_SECRET_ACCESS_KEY=adze-twin-secret AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

# start_twin [extra twin flags...]: sets KUBECONFIG, AWS_EP (the AWS endpoint), QUEUE.
start_twin() {
  "$ADZE" twin --aws --speed "$SPEED" --kubeconfig-out "$TMP/kubeconfig" -o json "$@" > "$TMP/twin.out" 2> "$TMP/twin.log" &
  PIDS+=($!)
  TWIN_PID=$!
  for _ in $(seq 100); do [ -s "$TMP/twin.out" ] && break; sleep 0.1; done
  [ -s "$TMP/twin.out" ] || fail "adze twin did not start"
  export KUBECONFIG=$TMP/kubeconfig
  AWS_EP=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aws_endpoint"])' "$TMP/twin.out")
  QUEUE=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["interruption_queue"])' "$TMP/twin.out")
}

# start_controller NAME [extra controller flags...]
start_controller() {
  local name=$1
  shift
  METRICS_PORT[$name]=$(free_port)
  "$ADZE" controller --kubeconfig "$KUBECONFIG" --cloud-provider aws --endpoint-url "$AWS_EP" --region us-east-1 \
    --interruption-queue "$QUEUE" --cluster-name demo --identity "$name" --bind-address 127.0.0.1 \
    --metrics-port "${METRICS_PORT[$name]}" --health-probe-port "$(free_port)" "$@" >> "$TMP/controller-$name.log" 2>&1 &
  CONTROLLER_PID[$name]=$!
  PIDS+=($!)
}

# twin_api METHOD PATH [JSON]: the twin's test controls (/adze-twin/v1/...).
twin_api() {
  if [ $# -ge 3 ]; then
    curl -sf -X "$1" -H 'Content-Type: application/json' -d "$3" "$AWS_EP/adze-twin/v1/$2"
  else
    curl -sf -X "$1" "$AWS_EP/adze-twin/v1/$2"
  fi
}
# json_get EXPR: evaluates a Python expression over the JSON on stdin (as `d`).
json_get() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.2 s until COMMAND succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline
  deadline=$(echo "$(date +%s) + $seconds" | bc)
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "after ${seconds}s: $what"
    sleep 0.2
  done
}
pod_phase() { kubectl get pod -n "$1" "$2" -o jsonpath='{.status.phase}' 2>/dev/null; }
pod_running() { [ "$(pod_phase "$1" "$2")" = Running ]; }
node_of_pod() { kubectl get pod -n "$1" "$2" -o jsonpath='{.spec.nodeName}'; }
node_label() { kubectl get node "$1" -o jsonpath="{.metadata.labels.${2//./\\.}}"; }
deployment_ready() { [ "$(kubectl get deploy -n "$1" "$2" -o jsonpath='{.status.readyReplicas}')" = "$3" ]; }
claims_count() { kubectl get nodeclaims -o name | wc -l; }
# Instances the twin's EC2 has running (pending or running).
running_instances() { twin_api GET instances | json_get 'sum(1 for i in d["instances"] if i["state"] in ("pending","running"))'; }
# Provider ids of the claims, sorted; and of the running instances.
claim_instance_ids() { kubectl get nodeclaims -o jsonpath='{range .items[*]}{.status.providerID}{"\n"}{end}' | sed -n 's|.*/||p' | sort; }
instance_ids() { twin_api GET instances | json_get '"\n".join(sorted(i["instanceId"] for i in d["instances"] if i["state"] in ("pending","running")))'; }
# Every running instance has a claim and every launched claim an instance.
instances_match_claims() { [ "$(claim_instance_ids)" = "$(instance_ids)" ]; }
metric() { curl -sf "127.0.0.1:${METRICS_PORT[$1]}/metrics" | awk -v m="$2" '$1==m{print $2}'; }

# The GPU NodePool of examples/ with a short consolidateAfter (the tests run
# in real time), and a CPU pool.
apply_pools() {
  sed 's/consolidateAfter: 5m/consolidateAfter: 0s/; s/nodes: "10%"/nodes: "100%"/' "$EXAMPLES/gpu-nodepool.yaml" | kubectl apply -f - > /dev/null
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
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 0s}
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
}
