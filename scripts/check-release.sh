#!/usr/bin/env bash
# Offline checks of what builds the installers elsewhere: the release workflow against
# GitHub's workflow schema (check-jsonschema's built-in copy), and tauri.conf.json merged with
# each platform's release configuration against the Tauri CLI's own schema (the one the
# bundler validates with), so a typo fails here rather than on a Windows or macOS runner.
# Needs the Python checkers (ensure_python_checkers) and ui/node_modules (build_ui).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
schema=ui/node_modules/@tauri-apps/cli/config.schema.json
for extra in "" packaging/windows/release.conf.json packaging/macos/release.conf.json; do
  out="$work/merged-$(basename "${extra:-base}")"
  "${CCSP_PYTHON:-python3}" - tauri.conf.json ${extra:+"$extra"} >"$out" <<'PY'
import json, sys

def merge(base, over):
    # As the Tauri CLI merges --config: objects key by key, anything else replaced.
    for k, v in over.items():
        base[k] = merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return base

conf = {}
for path in sys.argv[1:]:
    conf = merge(conf, json.load(open(path)))
json.dump(conf, sys.stdout)
PY
  # The schema's patterns are written for Rust's regex crate, which Python's re reads as well.
  check-jsonschema --regex-variant python --schemafile "$schema" "$out" >/dev/null \
    || { echo "FAIL: tauri.conf.json${extra:+ with $extra} does not match the Tauri schema" >&2; check-jsonschema --regex-variant python --schemafile "$schema" "$out"; exit 1; }
done
echo "ok: the release workflow and the installers' configurations validate"
