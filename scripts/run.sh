#!/usr/bin/env bash
# Runs CCSP Coordinator on the default store (created on first start, seeded with the
# Coventry plan 2025-2028). On a fresh Debian/Ubuntu machine it first installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages "${BUILD_PACKAGES[@]}"
ensure_rust
build_ui
cargo build --locked -p ccsp-coordinator -p ccsp-cli
exec target/debug/ccsp-coordinator "$@"
