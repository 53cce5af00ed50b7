#!/usr/bin/env bash
# Builds the Linux package of CCSP Coordinator: a .deb holding the app, the `ccsp` command, a
# desktop entry, the icons at every freedesktop size and the bundled fonts' licences, made by
# the Tauri bundler (the CLI from ui/node_modules, pinned in ui/package.json). Installs what
# it needs when missing (as scripts/test.sh does); reuses an earlier release build.
# Prints the .deb's path on its last line. Windows and macOS: .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_packages "${BUILD_PACKAGES[@]}"
ensure_rust
build_ui
scripts/icons.sh --check

say "Release build of the ccsp command (the .deb installs it as /usr/bin/ccsp)"
cargo build --locked --release -p ccsp-cli
say "Release build of the app and its .deb (Tauri bundler)"
ui/node_modules/.bin/tauri build --bundles deb -- --locked </dev/null

version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "ccsp-coordinator"))')
deb="target/release/bundle/deb/CCSP Coordinator_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "FAIL: the bundler made no $deb" >&2; ls target/release/bundle/deb >&2 || true; exit 1; }
echo "$PWD/$deb"
