#!/usr/bin/env bash
# Runs every test of CCSP Coordinator. On a fresh Debian/Ubuntu machine it first installs what
# is missing (system libraries, Xvfb, Rust). Needs no input; safe to run as root in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust

say "Core and CLI: unit, property, store, migration and end-to-end CLI tests"
cargo test --locked -p ccsp-core -p ccsp-cli

say "Desktop app: build, then start it in a virtual display on a fresh data folder"
cargo build --locked -p ccsp-coordinator
scripts/smoke-desktop.sh target/debug/ccsp-coordinator target/debug/ccsp

say "All tests passed"
