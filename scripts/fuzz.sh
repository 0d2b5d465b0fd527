#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ for SECONDS each (make fuzz
# FUZZ_SECONDS=N). New inputs go to BUILD/fuzz-corpus/<name>/ (the checked-in
# seeds in fuzz/corpus/<name>/ are read, never written); a crash, leak,
# sanitizer report, timeout (10 s per input) or out-of-memory (2 GB) stops
# that target and leaves its input in BUILD/fuzz-artifacts/. Prints one line
# per target with executions and crashes, and exits 1 if any target failed:
# keep the failing input as fuzz/corpus/<name>/crash-<what> with the fix, so
# `make test` replays it.
set -uo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS}
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=(quantity requirement_expression cron duration manifests scenario load_curve catalog_types catalog_zones trace
         ec2_xml eventbridge kube_objects watch_stream)
failed=0
mkdir -p "$build/fuzz-artifacts"
printf '%-24s %10s %8s %s\n' target executions crashes result
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work"
  dict=()
  case "$t" in manifests|scenario) dict=(-dict="$root/fuzz/dicts/yaml.dict") ;; esac
  log="$build/fuzz-artifacts/$t.log"
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/fuzz/${t}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" "${dict[@]}" \
    "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(ls "$build/fuzz-artifacts/$t-"* 2>/dev/null | wc -l)
  if [ "$rc" -ne 0 ]; then
    failed=1
    printf '%-24s %10s %8s FAILED (rc %s, see %s)\n' "$t" "${execs:-?}" "$crashes" "$rc" "$log"
  else
    printf '%-24s %10s %8s ok\n' "$t" "${execs:-?}" "$crashes"
  fi
done
exit $failed
