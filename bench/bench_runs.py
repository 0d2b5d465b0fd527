#!/usr/bin/env python3
"""Whole-run economics (issue 16): every example scenario, and the trace
example at 1000x and 100x compression, over seeds, in the four packer x
disruption combinations, and adze's defaults with each knob that trades
cost for start-up latency (--headroom, --fewer-nodes-premium 50%); one table
of cost, cost/LB, time to running (p50/p95/p99, and p95 over arrivals only),
nodes launched, evictions and GPU-hours of unique work done and of work
redone after evictions, plus whether adze's defaults (adze/adze), and adze
with each knob, dominate Karpenter's reference (karpenter/karpenter) on each
seed: cost no higher and p95 time to running no higher (over all pods, and
over arrivals only).

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
# defaults, then adze's defaults with each knob that trades cost for
# start-up latency.
DEFAULTS, REFERENCE = ("adze", "adze", ()), ("karpenter", "karpenter", ())
KNOBS = [("adze", "adze", ("--headroom",)), ("adze", "adze", ("--fewer-nodes-premium", "50%"))]
COMBOS = [DEFAULTS, REFERENCE, ("adze", "karpenter", ()), ("karpenter", "adze", ())] + KNOBS


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
    rows, cells, totals = [], {}, {}
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
            for combo in [DEFAULTS] + KNOBS:
                for p95 in ("p95", "arrivals_p95"):
                    wins, losses = 0, []
                    for s in seeds:
                        a, k = results[(combo, s)], results[(REFERENCE, s)]
                        if a["cost"] <= k["cost"] and a[p95] <= k[p95]:
                            wins += 1
                        else:
                            losses.append(f"{s}: {a['cost'] / k['cost'] - 1:+.0%} $, {a[p95] - k[p95]:+.1f} s")
                    totals[(combo, p95)] = totals.get((combo, p95), 0) + wins
                    cells.setdefault(name, []).append(f"{wins}/{len(seeds)}" + (f" ({'; '.join(losses)})" if losses else ""))
    table = ["| scenario | packer / disruption | cost | cost/LB | time to running p50 / p95 / p99 | arrivals p95 "
             "| nodes launched | evictions | GPU-h done / redone |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"] + rows
    heads = [f"{' '.join(combo[2]) or 'defaults'}{', arrivals' if p95 == 'arrivals_p95' else ''}"
             for combo in [DEFAULTS] + KNOBS for p95 in ("p95", "arrivals_p95")]
    table += ["", "Seeds on which adze dominates Karpenter's reference (cost and p95 time to running no higher; "
              "the runs where it does not, in brackets: seed, cost difference, p95 difference). The p95 is over "
              "all pods, or over arrivals only (pods re-created after an eviction left out):", "",
              "| scenario | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]
    table += [f"| {name} | {' | '.join(c)} |" for name, c in cells.items()]
    table.append("| all | " + " | ".join(f"{totals[(combo, p95)]}/{len(seeds) * len(scenarios)}"
                                         for combo in [DEFAULTS] + KNOBS for p95 in ("p95", "arrivals_p95")) + " |")
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
