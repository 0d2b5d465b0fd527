#!/usr/bin/env python3
"""Signs a corpus of requests with botocore's SigV4Auth and with adze's signer
(adze_sigv4_tool) at a fixed time and credentials; every Authorization header
must match byte for byte. Exit 77 (ctest SKIP_RETURN_CODE) without botocore.

Usage: sigv4_corpus_test.py PATH/TO/adze_sigv4_tool
"""
import datetime
import itertools
import json
import subprocess
import sys
from unittest import mock

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    print("SKIP: botocore is not importable by", sys.executable, "(pip install botocore)")
    sys.exit(77)

FIXED = datetime.datetime(2026, 12, 3, 21, 7, 9)
KEYS = [("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
        ("ASIAEXAMPLESESSION01", "s3cr3t/with+slashes=and=equals", "FQoGZXIvYXdzEJr//////////wEaDM+token/value=="),
        ("AKIA0123456789ABCDEF", "k", "short-token")]
TARGETS = [("https://ec2.us-east-1.amazonaws.com", "ec2", "us-east-1"),
           ("https://sqs.eu-west-1.amazonaws.com", "sqs", "eu-west-1"),
           ("https://ssm.ap-southeast-2.amazonaws.com", "ssm", "ap-southeast-2"),
           ("https://sts.amazonaws.com", "sts", "us-east-1"),
           ("https://api.pricing.us-east-1.amazonaws.com", "pricing", "us-east-1"),
           ("http://127.0.0.1:5000", "ec2", "us-west-2"),
           ("http://LOCALHOST:80", "sqs", "us-east-1"),
           ("https://Example.AmazonAWS.com:443", "service", "us-gov-west-1"),
           ("https://ec2.cn-north-1.amazonaws.com.cn:8443", "ec2", "cn-north-1")]
PATHS = ["/", "", "/123456789012/my-queue", "/a/./b/../c//d/", "/path with spaces/é", "/%20already%2Fencoded",
         "/~user/file.txt", "/-_.~!$'()*+,;=:@"]
QUERIES = [[], [("Action", "DescribeInstances"), ("Version", "2016-11-15")],
           [("Filter.1.Name", "tag:karpenter.sh/discovery"), ("Filter.1.Value.1", "my cluster")],
           [("b", "2"), ("a", "1"), ("a", "0"), ("a", "")],
           [("unicode", "ünïcødé ✓"), ("reserved", "!*'();:@&=+$,/?#[]"), ("space", "a b"), ("tilde", "~x")],
           [("empty", ""), ("EMPTY", ""), ("_", "-")],
           [("k%2F", "v%20"), ("plus", "1+1=2")]]
HEADERS = [{}, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
           {"X-Amz-Target": "AmazonSSM.GetParameter", "Content-Type": "application/x-amz-json-1.1"},
           {"X-Custom": "  leading and   inner   spaces  ", "User-Agent": "adze/0.1", "Expect": "100-continue"},
           {"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD", "Accept": "*/*"}]
BODIES = [b"", b"Action=GetCallerIdentity&Version=2011-06-15", bytes(range(256)), '{"Name":"/aws/service/ü"}'.encode()]


def corpus():
    cases = []
    # A deterministic walk through the combinations, far more than 50.
    for i, (method, target, path, query, headers, body, keys) in enumerate(itertools.islice(
            zip(itertools.cycle(["GET", "POST", "post", "PUT", "DELETE"]), itertools.cycle(TARGETS),
                itertools.cycle(PATHS), itertools.cycle(QUERIES), itertools.cycle(HEADERS),
                itertools.cycle(BODIES), itertools.cycle(KEYS)), 0, 180)):
        cases.append(dict(method=method, endpoint=target[0], service=target[1], region=target[2], path=path,
                          query=query, headers=headers, body=body, keys=keys, time_offset=i * 3607))
    return cases


def botocore_sign(c):
    url = c["endpoint"] + c["path"]
    req = AWSRequest(method=c["method"], url=url, params=list(c["query"]), headers=dict(c["headers"]),
                     data=c["body"])
    ak, sk, token = c["keys"]
    when = FIXED + datetime.timedelta(seconds=c["time_offset"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        SigV4Auth(Credentials(ak, sk, token), c["service"], c["region"]).add_auth(req)
    return req.headers["Authorization"]


def main():
    tool = sys.argv[1]
    cases = corpus()
    epoch = datetime.datetime(1970, 1, 1)
    lines = []
    for c in cases:
        ak, sk, token = c["keys"]
        when = FIXED + datetime.timedelta(seconds=c["time_offset"])
        lines.append(json.dumps(dict(
            method=c["method"], endpoint=c["endpoint"], path=c["path"], query=c["query"],
            headers=list(c["headers"].items()), body_hex=c["body"].hex(), access_key=ak, secret_key=sk,
            token=token or "", region=c["region"], service=c["service"],
            time=int((when - epoch).total_seconds()))))
    out = subprocess.run([tool], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    ours = out.stdout.splitlines()
    failures = 0
    for i, c in enumerate(cases):
        expected = botocore_sign(c)
        got = ours[i] if i < len(ours) else "<missing>"
        if expected != got:
            failures += 1
            print(f"case {i}: {c['method']} {c['endpoint']}{c['path']} query={c['query']} headers={c['headers']}")
            print(f"  botocore: {expected}\n  adze:     {got}")
    print(f"{len(cases) - failures}/{len(cases)} Authorization headers identical to botocore's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
