#!/usr/bin/python3
"""The twin seen by a client no one here wrote: the Python `kubernetes`
package (Debian python3-kubernetes). Lists and watches pods and nodes,
creates a NodePool through the custom-objects API, and checks that every
call succeeds and returns what was written.

Usage: python_client_e2e.py ADZE_BINARY
Starts `adze twin` on a free port, runs the checks, stops the twin.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from kubernetes import client, config, watch


def start_twin(adze, tmp):
    kubeconfig = os.path.join(tmp, "kubeconfig")
    proc = subprocess.Popen([adze, "twin", "--speed", "100", "--kubeconfig-out", kubeconfig, "-o", "json"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        raise SystemExit("adze twin did not start")
    return proc, kubeconfig, json.loads(line)


def main():
    adze = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc, kubeconfig, info = start_twin(adze, tmp)
        try:
            run(kubeconfig)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("python client e2e: ok")


def run(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    custom = client.CustomObjectsApi()

    # A NodePool through the custom-objects API comes back as written.
    pool = {
        "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "py-pool"},
        "spec": {"template": {"spec": {
            "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
            "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"]}]}},
            "limits": {"cpu": "100"}},
    }
    made = custom.create_cluster_custom_object("karpenter.sh", "v1", "nodepools", pool)
    assert made["spec"] == pool["spec"], made
    got = custom.get_cluster_custom_object("karpenter.sh", "v1", "nodepools", "py-pool")
    assert got["metadata"]["resourceVersion"] == made["metadata"]["resourceVersion"]
    listed = custom.list_cluster_custom_object("karpenter.sh", "v1", "nodepools")
    assert [p["metadata"]["name"] for p in listed["items"]] == ["py-pool"], listed
    # An invalid one is refused with 422 and the field.
    bad = json.loads(json.dumps(pool))
    bad["metadata"]["name"] = "bad"
    bad["spec"]["template"]["spec"]["requirements"][0]["operator"] = "Inn"
    try:
        custom.create_cluster_custom_object("karpenter.sh", "v1", "nodepools", bad)
        raise AssertionError("invalid NodePool accepted")
    except client.exceptions.ApiException as e:
        assert e.status == 422, e
        assert "operator" in json.loads(e.body)["details"]["causes"][0]["field"], e.body

    # Pods: create, list, and watch from the list's resourceVersion.
    pod = client.V1Pod(metadata=client.V1ObjectMeta(name="py-0", labels={"app": "py"}),
                       spec=client.V1PodSpec(containers=[client.V1Container(
                           name="c", image="busybox",
                           resources=client.V1ResourceRequirements(requests={"cpu": "500m", "memory": "1Gi"}))]))
    created = core.create_namespaced_pod("default", pod)
    assert created.metadata.name == "py-0" and created.spec.containers[0].resources.requests["cpu"] == "500m"
    pods = core.list_pod_for_all_namespaces(label_selector="app=py")
    assert [p.metadata.name for p in pods.items] == ["py-0"]
    rv = pods.metadata.resource_version
    core.create_namespaced_pod("default", client.V1Pod(
        metadata=client.V1ObjectMeta(name="py-1", labels={"app": "py"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")])))
    seen = []
    w = watch.Watch()
    for event in w.stream(core.list_pod_for_all_namespaces, label_selector="app=py", resource_version=rv,
                          timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name))
        if ("ADDED", "py-1") in seen:
            w.stop()
    assert ("ADDED", "py-1") in seen, seen

    # A NodeClaim with a providerID becomes a Node (the twin's kubelet), and
    # the pending pods are bound to it; watch nodes until it appears.
    claim = {
        "apiVersion": "karpenter.sh/v1", "kind": "NodeClaim",
        "metadata": {"name": "py-pool-abcde", "labels": {"karpenter.sh/nodepool": "py-pool"}},
        "spec": {"nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
                 "requirements": [{"key": "node.kubernetes.io/instance-type", "operator": "In",
                                   "values": ["m6i.xlarge"]}]},
    }
    custom.create_cluster_custom_object("karpenter.sh", "v1", "nodeclaims", claim)
    custom.patch_cluster_custom_object_status("karpenter.sh", "v1", "nodeclaims", "py-pool-abcde", {
        "status": {"providerID": "kwok://py-pool-abcde", "capacity": {"cpu": "4", "memory": "16Gi", "pods": "58"}}})
    node_seen = False
    w = watch.Watch()
    for event in w.stream(core.list_node, timeout_seconds=10):
        node = event["object"]
        if node.metadata.name == "py-pool-abcde" and any(
                c.type == "Ready" and c.status == "True" for c in (node.status.conditions or [])):
            assert node.spec.provider_id == "kwok://py-pool-abcde"
            assert node.metadata.labels["node.kubernetes.io/instance-type"] == "m6i.xlarge"
            node_seen = True
            w.stop()
    assert node_seen, "no Ready node for the claim"
    deadline = time.time() + 10
    while time.time() < deadline:
        bound = [p for p in core.list_namespaced_pod("default", label_selector="app=py").items
                 if p.spec.node_name == "py-pool-abcde" and p.status.phase == "Running"]
        if len(bound) == 2:
            break
        time.sleep(0.2)
    assert len(bound) == 2, [(p.metadata.name, p.spec.node_name) for p in bound]

    # Optimistic concurrency: a replace with a stale resourceVersion is a 409.
    stale = core.read_namespaced_pod("py-0", "default")
    fresh = core.read_namespaced_pod("py-0", "default")
    fresh.metadata.labels["v"] = "1"
    core.replace_namespaced_pod("py-0", "default", fresh)
    stale.metadata.labels["v"] = "2"
    try:
        core.replace_namespaced_pod("py-0", "default", stale)
        raise AssertionError("stale replace accepted")
    except client.exceptions.ApiException as e:
        assert e.status == 409 and json.loads(e.body)["reason"] == "Conflict", e

    custom.delete_cluster_custom_object("karpenter.sh", "v1", "nodepools", "py-pool")
    assert custom.list_cluster_custom_object("karpenter.sh", "v1", "nodepools")["items"] == []


if __name__ == "__main__":
    main()
