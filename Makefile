.PHONY: run test fmt lint build

# Builds in release mode, fills a fresh database with the demo agency, serves.
run:
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
