# The two commands a new user needs: `make run` and `make test`.
# Both install what they need first (scripts/install-deps, Debian 12, as root).

JOBS ?= 2
RELEASE_DIR := build/release
TEST_DIR := build/debug-asan
NEWSDESK := $(RELEASE_DIR)/newsdesk
EXAMPLE_CONFIG := examples/icmpd/newsdesk.toml
EXAMPLE_FEED := examples/icmpd/news-centre.rss.xml
BROWSER_DIR := tests/browser
BROWSER_MODULES := $(BROWSER_DIR)/node_modules/.installed

.PHONY: all deps build run test clean format

all: build

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_TESTS=OFF
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# The sample news centre on http://127.0.0.1:8080 (data in data/newsdesk.db).
run: build
	mkdir -p data
	$(NEWSDESK) init --config $(EXAMPLE_CONFIG)
	$(NEWSDESK) import --config $(EXAMPLE_CONFIG) $(EXAMPLE_FEED)
	$(NEWSDESK) serve --config $(EXAMPLE_CONFIG)

# Every test, in a Debug build with AddressSanitizer and UBSan.
test: deps $(BROWSER_MODULES)
	cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNEWSDESK_SANITIZE=ON
	cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

# The browser tests' npm packages (playwright-core, axe-core), as pinned in
# package-lock.json: installed when missing or older than the lock file.
$(BROWSER_MODULES): $(BROWSER_DIR)/package-lock.json | deps
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

format:
	find src tests -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build

# libFuzzer targets (clang, ASan, UBSan): the feed parser, the sanitizer,
# Markdown, the search query, HTTP request handling and the Mustache engine
# against mstch, each run for FUZZ_SECONDS on a copy of its seed corpus
# (fuzz/run.sh).
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

# The benchmarks of bench/ (not part of `make test`), Release builds: nginx
# vs `newsdesk serve` (bench/serve), the micro-benchmarks (bench/micro) and
# Hugo vs `newsdesk export` (bench/export, when present), PostgreSQL vs
# SQLite (bench/serve/postgres.sh); then the ratios
# and targets. About 20 minutes on 2 cores; BENCH_QUICK=1 for a short run.
BENCH_OUT ?= build/bench-results
.PHONY: bench
bench: build
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	NEWSDESK=$(CURDIR)/$(NEWSDESK) RESULTS=$(BENCH_OUT)/serve BENCH_TMP=$(BENCH_OUT)/serve-tmp \
	  bench/serve/run.sh
	NEWSDESK_BENCH_DB=$(BENCH_OUT)/serve-tmp/corpus/newsdesk.db \
	  NEWSDESK_BENCH_CONFIG=$(BENCH_OUT)/serve-tmp/corpus/newsdesk.toml \
	  RESULTS=$(BENCH_OUT)/micro bench/micro/run.sh
	NEWSDESK=$(CURDIR)/$(NEWSDESK) RESULTS=$(BENCH_OUT)/postgres bench/serve/postgres.sh
	if [ -x bench/export/run.sh ]; then \
	  NEWSDESK=$(CURDIR)/$(NEWSDESK) bench/export/run.sh 2>&1 | tee $(BENCH_OUT)/export.txt; fi
	@echo; echo "== make bench: ratios and targets (details in $(BENCH_OUT)) =="
	@grep -h -E '^(- (PASS|FAIL)|bench/)' $(BENCH_OUT)/serve/report.md $(BENCH_OUT)/micro/report.md
	@if [ -f $(BENCH_OUT)/export.txt ]; then grep -i -E 'ratio|PASS|FAIL' $(BENCH_OUT)/export.txt; fi
	@grep -h '^|' $(BENCH_OUT)/postgres/report.md

# The soak of issue 9 (bench/soak): 10 minutes of reads and API writes on
# 127.0.0.1, zero errors and RSS within 10 % expected; DURATION=60 for a
# short run. Report in build/soak-results/report.md; fails on FAIL.
.PHONY: soak
soak: build
	NEWSDESK=$(CURDIR)/$(NEWSDESK) bench/soak/run.sh
