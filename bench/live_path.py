#!/usr/bin/python3
"""Speed of the live path (issue 14): the real `adze controller` against
`adze twin --aws`, both on 127.0.0.1, timed from the outside.

  latency  one pod at a time, each too big for any node already launched:
           time from the client's create call to the twin's CreateFleet
           counter moving (polled every 5 ms). The floor is the 1 s batch idle
           window. Prints p50/p90/p99 over --trials pods.
  burst    one Deployment of --pods replicas on a NodePool whose types hold
           two of them each (Karpenter's 20k-pod / 10k-claim live test, spec
           §9.2, halved): time from the apply to every claim created, to
           every claim launched, and to every pod Running.

Usage: bench/live_path.py --adze build/release/cli/adze [--trials 40] [--pods 10000]
       [--only latency|burst] [--speed 50]
Needs /usr/bin/python3 with python3-kubernetes (Debian). Prints one JSON
object per phase on stdout; progress on stderr.
"""
import argparse, json, os, random, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

from kubernetes import client, config

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="adze-twin", AWS_SECRET_ACCESS_KEY="adze-twin-secret",
           AWS_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
           AWS_EC2_METADATA_DISABLED="true")
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
    ENV.pop(k, None)

NODE_CLASS = {"apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "default"},
              "spec": {"role": "KarpenterNodeRole-demo", "amiSelectorTerms": [{"alias": "al2023@latest"}],
                       "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}],
                       "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}]}}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Live:
    """adze twin --aws and one adze controller, stopped on exit."""

    def __init__(self, adze, speed, workdir):
        self.procs = []
        self.dir = workdir
        out = os.path.join(workdir, "twin.out")
        self.spawn([adze, "twin", "--aws", "--speed", str(speed), "--kubeconfig-out",
                    os.path.join(workdir, "kubeconfig"), "-o", "json"], "twin", stdout=open(out, "w"))
        for _ in range(200):
            if os.path.getsize(out) > 0:
                break
            time.sleep(0.05)
        twin = json.load(open(out))
        self.aws = twin["aws_endpoint"]
        self.spawn([adze, "controller", "--kubeconfig", os.path.join(workdir, "kubeconfig"),
                    "--cloud-provider", "aws", "--endpoint-url", self.aws, "--region", "us-east-1",
                    "--interruption-queue", twin["interruption_queue"], "--cluster-name", "demo",
                    "--bind-address", "127.0.0.1", "--metrics-port", str(free_port()),
                    "--health-probe-port", str(free_port()), "--disruption", "off"],
                   "controller")
        config.load_kube_config(os.path.join(workdir, "kubeconfig"))
        self.core = client.CoreV1Api()
        self.custom = client.CustomObjectsApi()
        self.apps = client.AppsV1Api()

    def spawn(self, argv, name, stdout=None):
        err = open(os.path.join(self.dir, name + ".log"), "w")
        self.procs.append(subprocess.Popen(argv, stdout=stdout or err, stderr=err, env=ENV))

    def stop(self):
        for p in reversed(self.procs):
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()

    def counters(self):
        with urllib.request.urlopen(self.aws + "/adze-twin/v1/counters") as r:
            return json.load(r)

    def apply_pool(self, name, requirements):
        self.custom.create_cluster_custom_object("karpenter.k8s.aws", "v1", "ec2nodeclasses", NODE_CLASS)
        pool = {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": name},
                "spec": {"template": {"spec": {"nodeClassRef": {"group": "karpenter.k8s.aws",
                                                                "kind": "EC2NodeClass", "name": "default"},
                                               "requirements": requirements}},
                         "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "Never"}}}
        self.custom.create_cluster_custom_object("karpenter.sh", "v1", "nodepools", pool)

    def claims(self):
        return len(self.custom.list_cluster_custom_object("karpenter.sh", "v1", "nodeclaims")["items"])


def pod(name, cpu, memory):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "busybox",
                                     "resources": {"requests": {"cpu": cpu, "memory": memory}}}]}}


def latency(adze, trials, speed):
    with tempfile.TemporaryDirectory() as d:
        live = Live(adze, speed, d)
        try:
            live.apply_pool("latency", [
                {"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": ["c", "m"]},
                {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}])
            time.sleep(3)  # the controller's informers have the pool
            seconds = []
            rng = random.Random(1)
            for i in range(trials):
                before = live.counters()["createFleetCalls"]
                t0 = time.monotonic()
                # 60 vCPU: no node launched for an earlier trial has room for it.
                live.core.create_namespaced_pod("default", pod(f"p{i}", "60", "8Gi"))
                while live.counters()["createFleetCalls"] == before:
                    if time.monotonic() - t0 > 60:
                        raise SystemExit(f"trial {i}: no CreateFleet within 60 s; logs in {d}")
                    time.sleep(0.005)
                seconds.append(time.monotonic() - t0)
                log(f"latency trial {i + 1}/{trials}: {seconds[-1]:.3f} s")
                # Past this batch's window before the next pod, at a random
                # phase of the controller's 1 s loop.
                time.sleep(1.5 + rng.random())
            return {"phase": "latency", "trials": trials, "p50": round(percentile(seconds, 50), 3),
                    "p90": round(percentile(seconds, 90), 3), "p99": round(percentile(seconds, 99), 3),
                    "min": round(min(seconds), 3), "max": round(max(seconds), 3)}
        finally:
            live.stop()


def burst(adze, pods, speed):
    with tempfile.TemporaryDirectory() as d:
        live = Live(adze, speed, d)
        try:
            # 4-vCPU types: two pods of 1.5 vCPU fit after the kubelet's
            # reservation, three do not.
            live.apply_pool("burst", [
                {"key": "karpenter.k8s.aws/instance-cpu", "operator": "In", "values": ["4"]},
                {"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": ["c", "m"]},
                {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}])
            time.sleep(3)
            expected = (pods + 1) // 2
            template = pod("x", "1500m", "2Gi")
            deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                          "metadata": {"name": "burst", "namespace": "default"},
                          "spec": {"replicas": pods, "selector": {"matchLabels": {"app": "burst"}},
                                   "template": {"metadata": {"labels": {"app": "burst"}},
                                                "spec": template["spec"]}}}
            t0 = time.monotonic()
            live.apps.create_namespaced_deployment("default", deployment)
            # Three marks: every claim created (the issue's figure and
            # Karpenter's published one), every claim launched (a CreateFleet
            # answered), every pod Running (the user's).
            marks = {}
            last_log = 0
            while "running" not in marks:
                elapsed = time.monotonic() - t0
                if elapsed > 3600:
                    raise SystemExit(f"burst: not done within an hour ({marks}); logs in {d}")
                n = live.claims() if "claims" not in marks else expected
                c = live.counters()
                ready = 0
                if "launched" in marks:
                    status = live.apps.read_namespaced_deployment_status("burst", "default").status
                    ready = status.ready_replicas or 0
                for mark, done in (("claims", n >= expected), ("launched", c["launches"] >= expected),
                                   ("running", ready >= pods)):
                    if mark not in marks and done and (mark == "claims" or marks):
                        marks[mark] = elapsed
                        log(f"burst: {mark} after {elapsed:.1f} s")
                if elapsed - last_log >= 10:
                    last_log = elapsed
                    log(f"burst: {elapsed:.0f} s, {n}/{expected} claims, {c['launches']} launched, "
                        f"{c['createFleetCalls']} CreateFleet calls, {ready}/{pods} pods ready")
                time.sleep(1)
            c = live.counters()
            return {"phase": "burst", "pods": pods, "claims": expected,
                    "secondsToAllClaims": round(marks["claims"], 1),
                    "claimsPerSecond": round(expected / marks["claims"], 1),
                    "secondsToAllLaunched": round(marks["launched"], 1),
                    "secondsToAllRunning": round(marks["running"], 1),
                    "createFleetCalls": c["createFleetCalls"], "launches": c["launches"]}
        finally:
            live.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--adze", required=True, help="the adze binary")
    ap.add_argument("--trials", type=int, default=40, help="pods timed one at a time (default 40)")
    ap.add_argument("--pods", type=int, default=10000, help="replicas of the burst (default 10000)")
    ap.add_argument("--speed", type=float, default=50, help="the twin's --speed (default 50)")
    ap.add_argument("--only", choices=["latency", "burst"])
    args = ap.parse_args()
    if args.trials < 1 or args.pods < 2:
        ap.error("--trials must be at least 1 and --pods at least 2")
    if args.only in (None, "latency"):
        print(json.dumps(latency(args.adze, args.trials, args.speed)), flush=True)
    if args.only in (None, "burst"):
        print(json.dumps(burst(args.adze, args.pods, args.speed)), flush=True)


if __name__ == "__main__":
    main()
