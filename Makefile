# The two commands a new user needs (README.md):
#   make demo   install missing packages, build the adze binary (Release), run the main job
#   make test   install missing packages, build, run every test through ctest
# Also: make asan-test (AddressSanitizer + UBSan build and tests), make bench,
# make fuzz FUZZ_SECONDS=N (every libFuzzer target of fuzz/ for N s each).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build/release
ASAN_BUILD ?= build/asan
BENCH_BUILD ?= build/bench
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

.PHONY: demo live-demo test asan-test bench bench-runs fuzz deps configure build clean

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo runs only the adze binary: build just that target (the 180-odd
# test and benchmark targets are make test's), and say so before the wait.
demo: configure
	@echo "make demo: compiling the adze binary only (Release, $(BUILD), $(JOBS) jobs; tests are built by make test)."
	@echo "make demo: a first build takes a few minutes on 2 cores; progress is [done/total] below."
	@cmake --build $(BUILD) -j $(JOBS) --target adze
	@echo "make demo: built $(BUILD)/cli/adze; running the default scenario."
	@scripts/demo.sh $(BUILD)/cli/adze

# The whole loop live: adze twin --aws (EKS + EC2), adze controller, kubectl.
live-demo: configure
	@echo "make live-demo: compiling the adze binary only (Release, $(BUILD), $(JOBS) jobs)."
	@cmake --build $(BUILD) -j $(JOBS) --target adze
	@scripts/live-demo.sh $(BUILD)/cli/adze

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan-test: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DADZE_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: deps
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DADZE_BUILD_BENCHMARKS=ON -DADZE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@echo "benchmarks built in $(BENCH_BUILD); see docs/benchmarks.md for the commands"

# Whole-run economics table (issue 16) into docs/benchmarks.md: every example
# scenario and the trace at 1000x and 100x, seeds 1-5, four packer x disruption combinations
# and adze with each latency knob (--headroom, --fewer-nodes-premium 50%).
bench-runs: build
	@python3 bench/bench_runs.py --adze $(BUILD)/cli/adze --seeds 1-5 --write docs/benchmarks.md

# clang 14 with libFuzzer, ASan and UBSan; only the fuzz targets are built.
fuzz: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DADZE_BUILD_FUZZERS=ON -DADZE_BUILD_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target adze_fuzzers
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf build
