# edgeprobe — two commands on a fresh Debian 12 / Ubuntu 24.04 machine with the Swift toolchain:
#   make bench   installs missing system packages, builds release, runs the main job
#   make test    installs missing system packages, runs the whole test suite

SWIFT        ?= swift
# libcurl4-openssl-dev: for FoundationNetworking, which the tests' HTTP client (URLSession) uses. The
# release binaries stopped linking it when FlyingFox was dropped; whether the package can go is unchecked.
# libxnnpack-dev, libpthreadpool-dev: XNNPACK, the second engine (`--engine xnnpack`).
SYSTEM_PKGS  := libsensors-dev libproc2-dev libyaml-dev pkg-config libcurl4-openssl-dev \
                libxnnpack-dev libpthreadpool-dev
# Real Prometheus and node_exporter for the metrics tests (started by the tests themselves on
# loopback with temporary directories; the packages' own services play no part).
METRICS_PKGS := prometheus prometheus-node-exporter
# The cross compiler and qemu-user the kernel checks build and run the aarch64 paths with.
KERNEL_CHECK_PKGS := gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
# Every module (dependencies too) gets a section per function, so the link can pack the code a
# sampling tick runs into a few pages (Package.swift, Benchmarks/hot-code/).
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections
BIN          := .build/release/edgeprobe

.PHONY: bench test test-python test-rules test-under-load build release deps metrics-deps python-deps browser-deps \
	postgres-deps clean perf-sample check-kernels check-aarch64 aarch64-deps fuzz fuzz-build test-sanitizers

## $(call install-missing,PACKAGES): installs the Debian packages not installed yet (as root), or
## says which are missing and how to install them.
define install-missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "edgeprobe: installing $$missing" >&2; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "edgeprobe: missing system packages: $$missing" >&2; \
			echo "           install them with: sudo apt-get install $$missing" >&2; exit 1; \
		fi; \
	fi
endef

## Install the Debian packages the build links against (as root), or say which are missing.
deps:
	$(call install-missing,$(SYSTEM_PKGS))

## Prometheus, promtool and node_exporter for the metrics tests and the alert-rule tests.
metrics-deps:
	$(call install-missing,$(METRICS_PKGS))

## Python packages the tests use: jsonschema validates records against their JSON Schemas;
## html5lib parses `edgeprobe report`'s page strictly, Pillow reads the browser's screenshot of it.
python-deps:
	@python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q jsonschema
	@python3 -c "import html5lib" 2>/dev/null || python3 -m pip install -q html5lib
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install -q pillow

## Debian's chromium (large: installed only when missing, as root), which renders
## `edgeprobe report`'s page headless in the tests.
browser-deps:
	$(call install-missing,chromium)

## PostgreSQL (Debian's package) for the two-worker Optuna test, installed as root when missing;
## without root or apt the test falls back to SQLite and says why.
postgres-deps:
	@python3 Clients/python/tests/postgres_cluster.py install

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## The main job: the conv-default suite on the generic board profile. A table goes to the terminal,
## the JSON lines are appended to bench.jsonl. Pass options with BENCH_ARGS="--board raspberry-pi-4".
BENCH_ARGS ?=
bench: release
	$(BIN) bench --output bench.jsonl --format table $(BENCH_ARGS)
	@echo "edgeprobe: records appended to bench.jsonl" >&2

## Sampling cost, steady-state RSS and CPU share of `edgeprobe sample` (release build, ~70 s).
perf-sample: release
	Benchmarks/sample-cost.sh $(BIN)

test: deps python-deps browser-deps metrics-deps check-kernels
	$(SWIFT) build
	$(SWIFT) test
	$(MAKE) test-rules
	$(MAKE) test-python

## The alert rules and the example scrape configuration: syntax, then promtool's unit tests.
test-rules: metrics-deps
	promtool check rules Deploy/prometheus/edgeprobe-rules.yml
	promtool check config --syntax-only Deploy/prometheus/prometheus.yml
	cd Deploy/prometheus && promtool test rules edgeprobe-rules.test.yml

## Every instruction-set path of the C kernels against plain reference loops: natively, and the
## aarch64 paths under qemu-user (Cortex-A72 without and a CPU with the dot product). Seconds.
check-kernels:
	$(call install-missing,$(KERNEL_CHECK_PKGS))
	Tools/int8-kernels/check.sh
	Tools/float-kernels/check.sh

## `make test` TEST_UNDER_LOAD_RUNS times in a row (default 3) while `stress-ng --cpu 2` keeps two
## CPUs busy beside it; fails if any run fails. The tests synchronise on events, not on time, so
## they must pass on a loaded machine. stress-ng (Debian's package) is installed when missing.
TEST_UNDER_LOAD_RUNS ?= 3
test-under-load: deps python-deps browser-deps
	$(call install-missing,stress-ng)
	Tools/test-under-load.sh $(TEST_UNDER_LOAD_RUNS)

## The fidelity benchmark's statistics (Benchmarks/peers/tests, standard library only); the Python NAS client and the two-worker Optuna study (on a throwaway PostgreSQL cluster on a
## private Unix socket, or SQLite where PostgreSQL is unavailable), against the debug build (venv git-ignored).
test-python: build postgres-deps
	@test -x Clients/python/.venv/bin/python || python3 -m venv Clients/python/.venv
	Clients/python/.venv/bin/pip install -q -r Clients/python/requirements.txt
	EDGEPROBE_BIN=.build/debug/edgeprobe Clients/python/.venv/bin/python -m unittest discover -s Clients/python/tests -v
	python3 -m unittest discover -s Benchmarks/peers/tests -v

## Compiles every target and test target for aarch64-unknown-linux-gnu (the boards) without a
## board: links nothing, runs nothing (Docs/aarch64.md). The SDK it builds from this toolchain's
## modules is kept per toolchain version and script in .build-aarch64-sdk/.
AARCH64_PKGS     := libc6-dev-arm64-cross
AARCH64_SDK_KEY  := $(shell { $(SWIFT) --version 2>/dev/null | head -1; cat Tools/aarch64-check/make-sdk.sh; } | sha256sum | cut -c1-12)
AARCH64_SDK_DIR  := .build-aarch64-sdk/$(AARCH64_SDK_KEY)
aarch64-deps: deps
	$(call install-missing,$(AARCH64_PKGS))

check-aarch64: aarch64-deps
	@test -f $(AARCH64_SDK_DIR)/edgeprobe-aarch64.artifactbundle/info.json || { \
		echo "edgeprobe: building the aarch64 SDK in $(AARCH64_SDK_DIR)" >&2; \
		rm -rf .build-aarch64-sdk && Tools/aarch64-check/make-sdk.sh $(AARCH64_SDK_DIR); }
	EDGEPROBE_TARGET_ARCH=aarch64 $(SWIFT) build --scratch-path .build-aarch64 \
		--swift-sdks-path $(AARCH64_SDK_DIR) --swift-sdk edgeprobe-aarch64 --build-tests \
		-Xcc -march=armv8.2-a+dotprod

## Fuzzes every parser of outside input for FUZZ_SECONDS each, one after the other, starting
## from the seeds in Fuzz/Corpus/<target>/ (Docs/fuzzing.md). Inputs found that reach new code
## go to the git-ignored .build-fuzz/corpus/<target>/; a crash leaves its input in
## .build-fuzz/crashes/ and stops with an error.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := agent-config suite board-profile architecture-spec search-space lookup-table model-file latency-request
FUZZ_BIN     := .build-fuzz/debug/edgeprobe-fuzz
# swiftc keeps only the last -sanitize= it is given, and SwiftPM passes one per --sanitize in no
# fixed order: the combined -Xswiftc flag, last, gives Swift code both coverage and ASan.
fuzz-build: deps
	EDGEPROBE_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz --product edgeprobe-fuzz \
		--sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address

fuzz: fuzz-build
	@mkdir -p .build-fuzz/crashes
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$target; \
		echo "== fuzz $$target ($(FUZZ_SECONDS) s)" >&2; \
		EDGEPROBE_FUZZ_TARGET=$$target $(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
			-print_final_stats=1 -artifact_prefix=.build-fuzz/crashes/$$target- \
			.build-fuzz/corpus/$$target Fuzz/Corpus/$$target || exit 1; \
	done

## The tests of code that shares state between threads under ThreadSanitizer (thread pool,
## sampling thread, the agent's services, the latency service), in .build-tsan/, and the C
## kernels' checks under AddressSanitizer and UndefinedBehaviorSanitizer (Docs/sanitizers.md).
TSAN_TESTS := ThreadPoolTests|SamplingThreadTests|SchedulerTests|AlarmTests|AgentOutputTests|ChildProcessTests|SystemdNotifierTests|BoardLockTests|LatencyServiceHandlerTests|SharedGateTests|StopMeasuringTests|MeasurementGateBoardLockTests|LatencyServiceHTTPTests
test-sanitizers: deps
	CHECK_SANITIZE=1 Tools/int8-kernels/check.sh
	CHECK_SANITIZE=1 Tools/float-kernels/check.sh
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/Tests/tsan-suppressions.txt" $(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'

clean:
	rm -rf .build .build-aarch64 .build-aarch64-sdk .build-fuzz .build-tsan
