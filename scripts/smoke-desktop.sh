#!/usr/bin/env bash
# Starts the desktop app under Xvfb on an empty data folder and checks that it stays up and
# creates the default store seeded with the Coventry plan (what a new user's first start does).
# Usage: scripts/smoke-desktop.sh APP_BINARY CLI_BINARY
set -euo pipefail
app=$(realpath "$1"); cli=$(realpath "$2")
work=$(mktemp -d)
trap 'kill -TERM -- -$pid 2>/dev/null || true; sleep 1; kill -KILL -- -$pid 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" HOME="$work" CCSP_DB=
store="$XDG_DATA_HOME/org.ccsp.coordinator/ccsp.sqlite3"

# Own process group, so the app and its WebKit children can all be stopped together.
setsid xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- "$app" >"$work/app.log" 2>&1 &
pid=$!

for _ in $(seq 1 60); do
  [ -f "$store" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: the app exited early:"; cat "$work/app.log"; exit 1; }
  sleep 0.5
done
[ -f "$store" ] || { echo "FAIL: no store created at $store"; cat "$work/app.log"; exit 1; }
sleep 3
kill -0 "$pid" 2>/dev/null || { echo "FAIL: the app did not stay up:"; cat "$work/app.log"; exit 1; }
"$cli" --db "$store" plan show | grep -q "Coventry Community Safety Partnership Plan 2025-2028" \
  || { echo "FAIL: the store the app created does not hold the Coventry plan"; exit 1; }
echo "ok: the desktop app started and created the seeded store at its default path"
