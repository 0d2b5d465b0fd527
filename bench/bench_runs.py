#!/usr/bin/env python3
"""Whole-run economics (issue 16): every example scenario, and the trace
example at 1000x and 100x compression, over seeds, in the four packer x
disruption combinations and adze's defaults with --headroom; one table of
cost, cost/LB, time to running (p50/p95/p99, and p95 over arrivals only),
nodes launched, evictions and
GPU-hours of unique work done and of work redone after evictions,
plus whether adze's defaults (adze/adze), and adze with --headroom, dominate
Karpenter's reference (karpenter/karpenter) on each seed: cost no higher and
p95 time to running no higher.

  bench/bench_runs.py [--adze build/release/cli/adze] [--seeds 1-5]
                      [--only alibaba-trace@1000] [--write docs/benchmarks.md]

With --write, the table replaces the text between the markers
<!-- bench-runs:begin --> and <!-- bench-runs:end --> of that file;
otherwise it is printed. Runs are deterministic (same scenario, seed and
flags give the same summary), so one run per cell is enough.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ["default", "prefix-delegation-off", "prefix-delegation-on", "snapshot-preseed-off",
             "snapshot-preseed-on", "gpu-spot-fallback", "alibaba-trace@1000", "alibaba-trace@100"]
# (packer, disruption, extra flags): the four combinations with adze's
# defaults, and adze's defaults with headroom on (the knob that trades cost
# for start-up latency).
COMBOS = [("adze", "adze", ()), ("karpenter", "karpenter", ()), ("adze", "karpenter", ()), ("karpenter", "adze", ()),
          ("adze", "adze", ("--headroom",))]


def label(combo):
    packer, disruption, flags = combo
    return " ".join([f"{packer} / {disruption}", *flags])


def seeds_of(text):
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def scenario_file(name, tmp):
    base, _, compression = name.partition("@")
    path = os.path.join(ROOT, "examples", base + ".yaml")
    if not compression:
        return path
    with open(path) as f:
        text = f.read()
    text, n = re.subn(r"timeCompression:\s*[0-9.]+", "timeCompression: " + compression, text)
    if n != 1:
        sys.exit(f"{path}: expected one timeCompression field")
    out = os.path.join(tmp, f"{base}-{compression}.yaml")
    with open(out, "w") as f:
        f.write(text)
    return out


def run(adze, path, seed, combo):
    packer, disruption, flags = combo
    cmd = [adze, "simulate", path, "--seed", str(seed), "--packer", packer, "--disruption", disruption,
           *flags, "--no-progress", "-o", "json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    ttr = d["pods"]["time_to_running_seconds"]
    arrivals = d["pods"]["time_to_running_of_arrivals_seconds"]
    return {"cost": d["cost"]["total_usd"], "cost_lb": d["cost"].get("cost_over_lower_bound", 0),
            "p50": ttr["p50"], "p95": ttr["p95"], "p99": ttr["p99"], "arrivals_p95": arrivals["p95"],
            "nodes": d["nodes"]["launched"], "evictions": d["pods"]["evicted"],
            "gpu_done": d["gpu_hours"]["requested"], "gpu_redone": d["gpu_hours"]["redone_after_eviction"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--adze", default=os.path.join(ROOT, "build/release/cli/adze"))
    ap.add_argument("--seeds", default="1-5")
    ap.add_argument("--only", action="append", help="scenario (repeatable), e.g. default or alibaba-trace@100")
    ap.add_argument("--write", help="markdown file whose bench-runs section is replaced")
    args = ap.parse_args()
    scenarios = args.only or SCENARIOS
    for s in scenarios:
        if s not in SCENARIOS:
            sys.exit(f"--only {s}: expected one of {', '.join(SCENARIOS)}")
    seeds = seeds_of(args.seeds)
    rows, verdicts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in scenarios:
            path = scenario_file(name, tmp)
            results = {}
            for seed in seeds:
                for combo in COMBOS:
                    r = run(args.adze, path, seed, combo)
                    results[(combo, seed)] = r
                    print(f"{name} seed {seed} {label(combo)}: ${r['cost']:.1f} p95 {r['p95']:.1f}s", file=sys.stderr)
            for combo in COMBOS:
                rs = [results[(combo, s)] for s in seeds]
                med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                rows.append(f"| {name} | {label(combo)} | ${med['cost']:.1f} | {med['cost_lb']:.2f} | "
                            f"{med['p50']:.1f} / {med['p95']:.1f} / {med['p99']:.1f} s | {med['arrivals_p95']:.1f} s | "
                            f"{med['nodes']:.0f} | "
                            f"{med['evictions']:.0f} | {med['gpu_done']:.1f} / {med['gpu_redone']:.1f} |")
            def verdict(adze, p95):
                wins = []
                for s in seeds:
                    a, k = results[(adze, s)], results[(COMBOS[1], s)]
                    wins.append(f"{s}:{'✔' if a['cost'] <= k['cost'] and a[p95] <= k[p95] else '✘'}"
                                f"({a['cost'] / k['cost'] - 1:+.0%} $, {a[p95] - k[p95]:+.1f} s)")
                return " ".join(wins)
            columns = [verdict(COMBOS[0], "p95"), verdict(COMBOS[0], "arrivals_p95"), verdict(COMBOS[4], "p95")]
            verdicts.append(f"| {name} | {' | '.join(columns)} |")
    table = ["| scenario | packer / disruption | cost | cost/LB | time to running p50 / p95 / p99 | arrivals p95 "
             "| nodes launched | evictions | GPU-h done / redone |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"] + rows
    table += ["", f"adze against Karpenter's reference, per seed (✔: cost and p95 no higher; "
              f"in brackets adze's cost difference and p95 difference). The p95 is over all pods, or over "
              f"arrivals only (pods re-created after an eviction left out):", "",
              "| scenario | adze defaults | adze defaults, p95 of arrivals | adze --headroom |",
              "| --- | --- | --- | --- |"] + verdicts
    text = (f"Medians over seeds {args.seeds}; command: `bench/bench_runs.py --seeds {args.seeds}"
            + "".join(f" --only {s}" for s in (args.only or [])) + "`.\n\n" + "\n".join(table) + "\n")
    if not args.write:
        print(text)
        return
    with open(args.write) as f:
        doc = f.read()
    begin, end = "<!-- bench-runs:begin -->", "<!-- bench-runs:end -->"
    if begin not in doc or end not in doc:
        sys.exit(f"{args.write}: markers {begin} / {end} not found")
    doc = doc[:doc.index(begin) + len(begin)] + "\n" + text + doc[doc.index(end):]
    with open(args.write, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
