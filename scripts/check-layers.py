#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own.

The order is DESIGN.md's (docs/architecture.md), lowest first. Layers on the
same rank are peers that must not include each other (controllers talk to
the cloud only through ports/, so they never see providers/).
Tests, benchmarks and fuzz targets may include anything.
"""
import pathlib
import re
import sys

RANKS = {
    "model": 0,
    "catalog": 1,
    "scheduling": 2,
    "ports": 3,
    "controllers": 4,
    "providers": 4,
    "sim": 5,
    "adapters": 6,
    "report": 7,
    "cli": 8,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer(path: str):
    top = path.split("/", 1)[0]
    return top if top in RANKS else None


def is_exempt(rel: str) -> bool:
    name = pathlib.Path(rel).name
    return (name.endswith("_test.cc") or name.endswith("_test_util.h") or name.endswith("_bench.cc")
            or name.endswith("_fuzz.cc") or "/fuzz/" in rel)


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = []
    for f in sorted(root.rglob("*")):
        if f.suffix not in (".h", ".cc") or "build" in f.relative_to(root).parts:
            continue
        rel = f.relative_to(root).as_posix()
        own = layer(rel)
        if own is None or is_exempt(rel):
            continue
        for lineno, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = layer(m.group(1))
            if target is None or target == own:
                continue
            if RANKS[target] > RANKS[own] or (RANKS[target] == RANKS[own]):
                problems.append(f"{rel}:{lineno}: {own}/ includes {m.group(1)} "
                                f"({target}/ is {'a peer' if RANKS[target] == RANKS[own] else 'above'})")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) reach upward or sideways; see docs/architecture.md", file=sys.stderr)
        return 1
    print("layers: every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
