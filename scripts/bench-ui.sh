#!/usr/bin/env bash
# Measures the desktop app's speed and memory on a store of 500 actions (release build, real
# window under Xvfb, driven through WebDriver). Prints medians; see docs/benchmarks.md.
# CCSP_BENCH_ACTIONS=N changes the store size.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
build_ui
cargo build --locked --release -p ccsp-coordinator -p ccsp-cli -p ccsp-e2e
ensure_tauri_driver
export PATH="$HOME/.cargo/bin:$PATH" CCSP_PROFILE=release
xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- target/release/ui-bench </dev/null
