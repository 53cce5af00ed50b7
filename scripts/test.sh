#!/usr/bin/env bash
# Runs every test of CCSP Coordinator. On a fresh Debian/Ubuntu machine it first installs what
# is missing (system libraries, Xvfb, WebKitWebDriver, Rust, Node, npm packages,
# tauri-driver, the Python checkers). Needs no input; safe to run as root in CI. Starts its
# own virtual display. Installs the .deb it builds, briefly (apt, as root or through sudo),
# and removes it again whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
ensure_rust
ensure_python_checkers
build_ui

say "Frontend: type check (svelte-check) and unit tests (vitest)"
(cd ui && npm run --silent check </dev/null && npm run --silent test </dev/null)

say "Quality gates: rustfmt, clippy with warnings as errors, benchmarks compile"
cargo fmt --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo bench --locked --no-run -p ccsp-docs -p ccsp-cli
# Nothing swallowed (STYLE.md 15): every let _ =, .ok(), unwrap_or_default() and unwrap_or(0)
# in the app's code says why it cannot matter.
scripts/swallowed.sh

say "Core, CLI and documents: unit, property, bindings, store, migration, security, fuzz, hostile, crash, fault (full disk, read-only media), PDF and end-to-end CLI tests"
# The fault tests mount small tmpfs disks: as root directly, otherwise in a private user and
# mount namespace (unshare -rm), where an ordinary user may mount a tmpfs.
in_mount_ns=()
[ "$(id -u)" -eq 0 ] || in_mount_ns=(unshare -rm)
"${in_mount_ns[@]}" cargo test --locked -p ccsp-core -p ccsp-cli -p ccsp-docs

say "Desktop app: build, then start it in a virtual display on a fresh data folder"
cargo build --locked -p ccsp-coordinator -p ccsp-cli
scripts/smoke-desktop.sh target/debug/ccsp-coordinator target/debug/ccsp

say "Desktop app end to end: the real window through WebDriver, under Xvfb"
ensure_tauri_driver
export PATH="$HOME/.cargo/bin:$PATH"
# (In the mount namespace too: two tests put the store on a tmpfs that fills or turns read-only.)
"${in_mount_ns[@]}" xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- \
  cargo test --locked -p ccsp-e2e -- --test-threads=1 </dev/null

say "Installers: the release workflow and the Windows/macOS configurations (validated offline), the icons from their one source"
scripts/check-release.sh
scripts/icons.sh --check

say "Linux package: build the .deb (release build), install it with apt, start it on a fresh profile, run ccsp, remove it"
deb=$(scripts/package.sh | tail -n 1)
scripts/test-package.sh "$deb" target/installed-app.png

say "All tests passed"
