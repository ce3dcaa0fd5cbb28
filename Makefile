.PHONY: run test fmt lint build

run:
	cargo run --release --locked --bin lovedcrm -- serve

test:
	bash scripts/test.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets --locked -- -D warnings

build:
	cargo build --release --locked
