#!/bin/bash
# The twin seen by kubectl 1.32: apply the examples, read them back as JSON,
# a bounded watch, a NodeClaim that becomes a Node, drain (cordon + evictions,
# a PodDisruptionBudget answered 429 until relaxed), delete.
# Usage: kubectl_e2e.sh ADZE_BINARY EXAMPLES_DIR
set -euo pipefail
ADZE=$1
EXAMPLES=$2
TMP=$(mktemp -d)
"$ADZE" twin --speed 100 --kubeconfig-out "$TMP/kubeconfig" -o json > "$TMP/twin.out" 2> "$TMP/twin.err" &
TWIN=$!
cleanup() { kill "$TWIN" 2>/dev/null || true; wait "$TWIN" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$TMP/kubeconfig" ] && break; sleep 0.1; done
export KUBECONFIG=$TMP/kubeconfig
fail() { echo "FAIL: $*" >&2; exit 1; }

kubectl version -o json | grep -q '"gitVersion": "v1.32' || fail "server version"
kubectl create namespace serving
kubectl create namespace training
kubectl apply -f "$EXAMPLES/gpu-nodepool.yaml" -f "$EXAMPLES/inference-4gpu-pod.yaml" \
  -f "$EXAMPLES/training-worker-8xh100.yaml"
# A second apply is a no-op patch, not an error.
kubectl apply -f "$EXAMPLES/inference-4gpu-pod.yaml" | grep -q unchanged || fail "re-apply not unchanged"
[ "$(kubectl get nodepool gpu -o jsonpath='{.spec.template.spec.nodeClassRef.name}')" = gpu ] || fail "nodepool read back"
kubectl get nodes,nodeclaims -o json | grep -q '"kind": "List"' || fail "get nodes,nodeclaims -o json"
# Nothing can run yet: the pods are Unschedulable.
[ "$(kubectl get pod -n serving llm-serve-0 -o jsonpath='{.status.conditions[0].reason}')" = Unschedulable ] \
  || fail "pending pod not marked Unschedulable"

# A bounded watch sees the Node a NodeClaim becomes.
kubectl get nodes --watch --request-timeout=4s -o name > "$TMP/watch.out" 2>/dev/null &
WATCH=$!
cat <<'YAML' | kubectl apply -f -
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata:
  name: gpu-e2e01
  labels:
    karpenter.sh/nodepool: gpu
    node.kubernetes.io/instance-type: g6e.12xlarge
  finalizers: [karpenter.sh/termination]
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
  requirements:
  - {key: karpenter.k8s.aws/instance-gpu-memory, operator: In, values: ["49152"]}
  taints:
  - {key: nvidia.com/gpu, value: "true", effect: NoSchedule}
YAML
kubectl patch nodeclaim gpu-e2e01 --subresource=status --type=merge \
  -p '{"status":{"providerID":"kwok://gpu-e2e01","capacity":{"cpu":"48","memory":"384Gi","nvidia.com/gpu":"4","pods":"234"}}}'
for _ in $(seq 100); do kubectl get node gpu-e2e01 >/dev/null 2>&1 && break; sleep 0.2; done
kubectl wait --for=condition=Ready node/gpu-e2e01 --timeout=20s
wait "$WATCH" || true
grep -q "node/gpu-e2e01" "$TMP/watch.out" || fail "watch did not see the node"
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/llm-serve-0 -n serving --timeout=20s
[ "$(kubectl get pod -n serving llm-serve-0 -o jsonpath='{.spec.nodeName}')" = gpu-e2e01 ] || fail "pod not on node"

# A budget that allows no disruption holds the drain (429), then lets it go.
cat <<'YAML' | kubectl apply -f -
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: llm, namespace: serving}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: llm-serve}}
YAML
if kubectl drain gpu-e2e01 --force --ignore-daemonsets --timeout=3s 2> "$TMP/drain.err"; then
  fail "drain went through a PodDisruptionBudget"
fi
grep -q "disruption budget" "$TMP/drain.err" || fail "drain error does not name the budget: $(cat "$TMP/drain.err")"
[ "$(kubectl get node gpu-e2e01 -o jsonpath='{.spec.unschedulable}')" = true ] || fail "node not cordoned"
kubectl delete pdb llm -n serving
kubectl drain gpu-e2e01 --force --ignore-daemonsets --timeout=10s
if kubectl get pod -n serving llm-serve-0 >/dev/null 2>&1; then fail "pod not evicted"; fi

# Deleting a claim with the finalizer leaves it terminating until the
# finalizer goes; then the twin's cloud removes its Node.
kubectl delete nodeclaim gpu-e2e01 --wait=false
[ -n "$(kubectl get nodeclaim gpu-e2e01 -o jsonpath='{.metadata.deletionTimestamp}')" ] || fail "no deletionTimestamp"
kubectl patch nodeclaim gpu-e2e01 --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
kubectl wait --for=delete node/gpu-e2e01 --timeout=10s
kubectl delete -f "$EXAMPLES/gpu-nodepool.yaml"
[ -z "$(kubectl get nodepools -o name)" ] || fail "nodepool not deleted"
# The deploy/ kustomization (CRDs, RBAC, Deployment) applies.
kubectl apply -k "$EXAMPLES/../deploy" --dry-run=client > /dev/null || fail "kubectl apply -k deploy/ --dry-run=client"
echo "kubectl e2e: ok"
