.PHONY: run test fmt lint build web web-if-stale

# Builds in release mode, fills a fresh database with the demo agency, serves.
# The web app is (re)built first when web/dist is missing or older than its sources.
run: web-if-stale
	cargo build --release --locked --bin lovedcrm
	./target/release/lovedcrm seed --demo --if-empty
	./target/release/lovedcrm serve

test:
	bash scripts/test.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets --locked -- -D warnings

build:
	cargo build --release --locked

# The web app (web/dist), embedded into the binary by the next cargo build.
# Touching the embedding module makes cargo pick up the new files.
web:
	cd web && npm ci && npm run build
	touch crates/lovedcrm/src/web/assets.rs

web-if-stale:
	@if [ ! -f web/dist/index.html ] || [ -n "$$(find web/src web/index.html web/public web/package-lock.json web/vite.config.ts -newer web/dist/index.html -print -quit)" ]; then \
		$(MAKE) web; \
	else \
		echo "web/dist is up to date"; \
	fi

.PHONY: bench bench-smoke

# The benchmark harness (BENCHMARKS.md): release build, both databases, full
# data (1M contacts, ...), 20 s runs at 16 and 64 connections. Needs wrk and
# PostgreSQL's server binaries; about 40 minutes on 2 cores plus the build.
bench:
	BENCH_COMMAND="make bench" bash scripts/bench/run.sh full both

# The same harness on ~1/100 of the data with the debug build, 2 s runs at 4
# connections: a few minutes; writes artifacts/bench-smoke.md. CI runs it.
bench-smoke:
	BENCH_COMMAND="make bench-smoke" bash scripts/bench/run.sh smoke both
