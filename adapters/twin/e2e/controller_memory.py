#!/usr/bin/python3
"""Memory of `adze controller` with N pods and M nodes in its cache.

Starts `adze twin`, fills it with M Ready nodes and N pods bound to them
(with realistic metadata: labels, an owner, requests, a few env vars),
starts `adze controller` on it, waits until /readyz answers 200 and the
informers hold every object, and prints the controller's RSS (VmRSS and
peak VmHWM from /proc). Usage: controller_memory.py ADZE [PODS] [NODES]
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def post(server, path, body):
    req = urllib.request.Request(server + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) / 1024
    return out


def main():
    adze = sys.argv[1]
    pods = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    nodes = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    with tempfile.TemporaryDirectory() as tmp:
        kc = os.path.join(tmp, "kc")
        twin = subprocess.Popen([adze, "twin", "--kubeconfig-out", kc, "-o", "json"], stdout=subprocess.PIPE, text=True)
        server = json.loads(twin.stdout.readline())["server"]
        try:
            for i in range(nodes):
                name = f"ip-10-0-{i // 250}-{i % 250}.ec2.internal"
                post(server, "/api/v1/nodes", {
                    "metadata": {"name": name, "labels": {
                        "node.kubernetes.io/instance-type": "m6i.2xlarge", "topology.kubernetes.io/zone": "us-east-1a",
                        "karpenter.sh/nodepool": "default", "karpenter.sh/capacity-type": "on-demand",
                        "kubernetes.io/hostname": name, "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}},
                    "spec": {"providerID": f"aws:///us-east-1a/i-{i:017x}"},
                    "status": {"capacity": {"cpu": "8", "memory": "32Gi", "pods": "58"},
                               "allocatable": {"cpu": "7910m", "memory": "30Gi", "pods": "58"},
                               "conditions": [{"type": "Ready", "status": "True"}]}})
            for i in range(pods):
                node = f"ip-10-0-{(i % nodes) // 250}-{(i % nodes) % 250}.ec2.internal"
                post(server, "/api/v1/namespaces/default/pods", {
                    "metadata": {"name": f"web-{i}", "labels": {"app": "web", "pod-template-hash": "5d4f8b"},
                                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                      "name": "web-5d4f8b", "uid": "u", "controller": True}]},
                    "spec": {"nodeName": node, "containers": [{
                        "name": "web", "image": "registry.example.com/web:1.2.3",
                        "env": [{"name": f"VAR{k}", "value": "x" * 20} for k in range(5)],
                        "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]},
                    "status": {"phase": "Running"}})
            mport, hport = free_port(), free_port()
            ctl = subprocess.Popen([adze, "controller", "--kubeconfig", kc, "--bind-address", "127.0.0.1",
                                    "--metrics-port", str(mport), "--health-probe-port", str(hport)],
                                   stderr=subprocess.DEVNULL)
            try:
                deadline = time.time() + 60
                while time.time() < deadline:
                    try:
                        if urllib.request.urlopen(f"http://127.0.0.1:{hport}/readyz").status == 200:
                            break
                    except Exception:
                        pass
                    time.sleep(0.2)
                time.sleep(5)  # a few operator passes over the full snapshot
                m = rss(ctl.pid)
                print(json.dumps({"pods": pods, "nodes": nodes, "rss_mib": round(m["VmRSS"], 1),
                                  "peak_rss_mib": round(m["VmHWM"], 1)}))
            finally:
                ctl.terminate()
                ctl.wait(timeout=10)
        finally:
            twin.terminate()
            twin.wait(timeout=10)


if __name__ == "__main__":
    main()
