#!/usr/bin/env python3
"""End to end: `adze catalog --from-aws --endpoint-url <moto>` against
moto_server with signature verification on and an IAM user holding only the
policy of docs/aws.md (testdata/iam-policy.json). Checks the listing, the
written CSVs (read back with --catalog/--zones), the progress and fallback
report on stderr, and that the secret key never appears in any output.
Exit 77 (ctest SKIP_RETURN_CODE) when moto_server is missing.

Usage: catalog_from_aws_test.py PATH/TO/adze PATH/TO/iam-policy.json
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def iam(url, **params):
    """An IAM Query call, unsigned (moto lets the first few through)."""
    body = urllib.parse.urlencode(dict(Version="2010-05-08", **params)).encode()
    req = urllib.request.Request(url + "/", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDANONYMOUS/20260101/us-east-1/iam/aws4_request, "
                         "SignedHeaders=host, Signature=0"})
    return ET.fromstring(urllib.request.urlopen(req, timeout=10).read())


def find(root, name):
    for el in root.iter():
        if el.tag.split("}")[-1] == name:
            return el.text
    return None


def main():
    adze, policy_file = sys.argv[1], sys.argv[2]
    moto = shutil.which("moto_server")
    if not moto:
        print("SKIP: moto_server is not on PATH (pip install 'moto[server]')")
        return 77
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    tmp = tempfile.mkdtemp(prefix="adze-from-aws-")
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)
                break
            except Exception:
                time.sleep(0.05)  # an external process: poll until it listens
        urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset-auth", data=b"3", headers={"Content-Type": "text/plain"}), timeout=5)
        iam(url, Action="CreateUser", UserName="adze")
        key = iam(url, Action="CreateAccessKey", UserName="adze")
        iam(url, Action="PutUserPolicy", UserName="adze", PolicyName="adze",
            PolicyDocument=open(policy_file).read())
        akid, secret = find(key, "AccessKeyId"), find(key, "SecretAccessKey")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret, HOME=tmp)
        out_dir = os.path.join(tmp, "catalog")
        run = subprocess.run([adze, "catalog", "--from-aws", "--region", "us-east-1", "--endpoint-url", url,
                              "--write-catalog", out_dir, "--require", "karpenter.k8s.aws/instance-gpu-count>=1",
                              "-o", "json"], env=env, capture_output=True, text=True, timeout=120)
        failures = []
        if run.returncode != 0:
            failures.append(f"exit {run.returncode}: {run.stderr[-2000:]}")
        rows = json.loads(run.stdout) if run.returncode == 0 else []
        types = {r.get("type") or r.get("instance_type"): r for r in (rows if isinstance(rows, list) else rows.get("types", []))}
        if "p5.48xlarge" not in types:
            failures.append(f"p5.48xlarge missing from the listing ({len(types)} rows)")
        for needle in ("DescribeInstanceTypes", "figures taken from the embedded catalog", "od_price_usd_hr",
                       "spot_interruption_band", "wrote "):
            if needle not in run.stderr:
                failures.append(f"stderr lacks {needle!r}")
        for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
            if secret in text:
                failures.append(f"the secret key appears on {stream}")
        back = subprocess.run([adze, "catalog", "--catalog", os.path.join(out_dir, "instance-types.csv"),
                               "--zones", os.path.join(out_dir, "zones-us-east-1.csv"),
                               "--require", "karpenter.k8s.aws/instance-gpu-name=h100", "-o", "json"],
                              capture_output=True, text=True, timeout=60)
        if back.returncode != 0 or "p5.48xlarge" not in back.stdout:
            failures.append(f"the written catalog does not read back: {back.stderr[-1000:]}")
        for f in failures:
            print("FAIL:", f)
        if not failures:
            print(f"ok: {len(types)} GPU types listed from moto; catalog written and read back; no secret in output")
        return 1 if failures else 0
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
