#!/usr/bin/env python3
"""Runs a command N times and prints the median, min and max wall time in ms.
Usage: bench/time_command.py N -- CMD ARGS..."""
import statistics, subprocess, sys, time

n = int(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
times = []
for _ in range(n):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t0) * 1000)
print(f"median {statistics.median(times):.1f} ms  min {min(times):.1f}  max {max(times):.1f}  (n={n}): {' '.join(cmd)}")
