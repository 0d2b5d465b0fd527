#!/usr/bin/env python3
"""`adze twin --aws` against clients no one here wrote: boto3/botocore (EC2,
SQS, SSM, STS, Pricing) and `adze catalog --from-aws --endpoint-url`.

Starts the twin on free ports, describes instance types, launches an instant
fleet, interrupts the spot instance through the control API and reads the
rebalance recommendation, the two-minute warning and the termination from SQS
(long-poll), checks that a wrong secret is refused, and stops the twin with
SIGTERM. Exit 77 (skipped) when boto3 is not installed.
Usage: aws_boto3_e2e.py ADZE_BINARY
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

try:
    import boto3
    import botocore.exceptions
except ImportError:
    print("boto3 is not installed: skipped")
    sys.exit(77)

ADZE = sys.argv[1]
KEY, SECRET = "adze-twin-e2e", "adze-twin-e2e-secret"


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def control(ep, method, path, body=None):
    req = urllib.request.Request(ep + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
twin = subprocess.Popen([ADZE, "twin", "--aws", "--speed", "100", "-o", "json"], env=env,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    start = json.loads(twin.stdout.readline())
    ep = start["aws_endpoint"]
    if start["access_key_id"] != KEY or start["region"] != "us-east-1":
        fail(f"start line: {start}")
    kw = dict(endpoint_url=ep, region_name="us-east-1", aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    ec2 = boto3.client("ec2", **kw)

    types = {}
    for page in ec2.get_paginator("describe_instance_types").paginate(PaginationConfig={"PageSize": 100}):
        for t in page["InstanceTypes"]:
            types[t["InstanceType"]] = t
    p5 = types.get("p5.48xlarge") or fail("no p5.48xlarge")
    gpus = p5["GpuInfo"]["Gpus"][0]
    if (gpus["Count"], gpus["Name"], p5["VCpuInfo"]["DefaultVCpus"]) != (8, "h100", 192):
        fail(f"p5.48xlarge: {gpus} {p5['VCpuInfo']}")
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    if "us-east-1a" not in zones:
        fail(f"zones: {zones}")
    offers = ec2.describe_instance_type_offerings(LocationType="availability-zone")["InstanceTypeOfferings"]
    if not any(o["InstanceType"] == "g6.xlarge" for o in offers):
        fail("no g6.xlarge offering")
    subnets = ec2.describe_subnets(Filters=[{"Name": "tag:karpenter.sh/discovery", "Values": ["demo"]}])["Subnets"]
    if len(subnets) != len(zones):
        fail(f"{len(subnets)} subnets for {len(zones)} zones")
    if boto3.client("sts", **kw).get_caller_identity()["Account"] != "000000000000":
        fail("sts account")
    ami = boto3.client("ssm", **kw).get_parameter(
        Name="/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/standard/recommended/image_id")
    if not ami["Parameter"]["Value"].startswith("ami-"):
        fail(f"ssm: {ami}")
    prices = boto3.client("pricing", **kw).get_products(
        ServiceCode="AmazonEC2", Filters=[{"Type": "TERM_MATCH", "Field": "instanceType", "Value": "p5.48xlarge"}])
    product = json.loads(prices["PriceList"][0])
    usd = list(list(product["terms"]["OnDemand"].values())[0]["priceDimensions"].values())[0]["pricePerUnit"]["USD"]
    if not float(usd) > 0:
        fail(f"pricing: {usd}")

    ec2.create_launch_template(LaunchTemplateName="adze-e2e", LaunchTemplateData={"ImageId": ami["Parameter"]["Value"]})
    fleet = ec2.create_fleet(
        Type="instant",
        LaunchTemplateConfigs=[{"LaunchTemplateSpecification": {"LaunchTemplateName": "adze-e2e", "Version": "$Latest"},
                                "Overrides": [{"InstanceType": "g6.xlarge", "AvailabilityZone": "us-east-1a",
                                               "SubnetId": subnets[0]["SubnetId"]}]}],
        TargetCapacitySpecification={"TotalTargetCapacity": 1, "DefaultTargetCapacityType": "spot"},
        SpotOptions={"AllocationStrategy": "price-capacity-optimized"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "karpenter.sh/nodeclaim", "Value": "e2e"}]}])
    if fleet["Errors"] or len(fleet["Instances"]) != 1 or fleet["Instances"][0]["Lifecycle"] != "spot":
        fail(f"create_fleet: {fleet}")
    iid = fleet["Instances"][0]["InstanceIds"][0]
    inst = ec2.describe_instances(Filters=[{"Name": "tag-key", "Values": ["karpenter.sh/nodeclaim"]}])
    found = [i for r in inst["Reservations"] for i in r["Instances"]]
    if [i["InstanceId"] for i in found] != [iid] or found[0]["State"]["Name"] != "running":
        fail(f"describe_instances: {found}")

    sqs = boto3.client("sqs", **kw)
    url = sqs.get_queue_url(QueueName=start["interruption_queue"])["QueueUrl"]
    control(ep, "POST", "/adze-twin/v1/spot-interruptions", {"instanceIds": [iid]})
    kinds = []
    deadline = time.time() + 20
    while "EC2 Instance State-change Notification" not in kinds and time.time() < deadline:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=5)  # botocore checks MD5s
        for m in got.get("Messages", []):
            body = json.loads(m["Body"])
            if body["detail"].get("instance-id") != iid:
                fail(f"message for another instance: {body}")
            kinds.append(body["detail-type"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    want = ["EC2 Instance Rebalance Recommendation", "EC2 Spot Instance Interruption Warning",
            "EC2 Instance State-change Notification"]
    if kinds != want:
        fail(f"interruption messages: {kinds}")
    state = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]["Name"]
    if state != "terminated":
        fail(f"after the notice the instance is {state}")

    bad = boto3.client("ec2", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=KEY,
                       aws_secret_access_key="wrong", config=botocore.config.Config(retries={"max_attempts": 1}))
    try:
        bad.describe_instances()
        fail("a wrong secret was accepted")
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "AuthFailure":
            fail(f"wrong secret: {e.response['Error']}")

    cat = subprocess.run([ADZE, "catalog", "--from-aws", "--region", "us-east-1", "--endpoint-url", ep, "-o", "json"],
                         env=env, capture_output=True, text=True, timeout=60)
    if cat.returncode != 0 or "p5.48xlarge" not in cat.stdout:
        fail(f"adze catalog --from-aws: rc {cat.returncode}: {cat.stderr[-500:]}")

    counters = control(ep, "GET", "/adze-twin/v1/counters")
    if counters["launches"] != 1 or counters["faults"]["signatureRejections"] < 1:
        fail(f"counters: {counters}")
finally:
    twin.send_signal(signal.SIGTERM)
    try:
        rc = twin.wait(timeout=15)
    except subprocess.TimeoutExpired:
        twin.kill()
        fail("the twin did not stop within 15 s of SIGTERM")
if rc != 0:
    fail(f"the twin exited {rc}: {twin.stderr.read()[-500:]}")
print("ok: boto3 EC2/SQS/SSM/STS/Pricing and adze catalog --from-aws against adze twin --aws")
