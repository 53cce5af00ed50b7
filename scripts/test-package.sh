#!/usr/bin/env bash
# Installs the .deb with apt as a council's IT would, checks what it holds, starts the
# installed app under Xvfb on a fresh profile (it must create the store seeded with the
# Coventry plan, and a screenshot is taken), runs the installed `ccsp`, then removes the
# package — always, in a trap, so a failed check leaves nothing installed — and checks that
# the removal kept the coordinator's data. Needs root (apt); the other tests use the built
# binaries by absolute path and never the installed ones.
# Usage: scripts/test-package.sh DEB [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages desktop-file-utils xvfb xauth dbus
deb=$(realpath "$1"); shot=${2:-}
package=$(dpkg-deb -f "$deb" Package)
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && { kill -TERM -- -"$pid" 2>/dev/null || true; sleep 1; kill -KILL -- -"$pid" 2>/dev/null || true; }
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$package" </dev/null >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# What the package says about itself, before it is installed.
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "ccsp-coordinator"))')
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is $(dpkg-deb -f "$deb" Version), the workspace's $version"
dpkg-deb -f "$deb" Depends | grep -q 'libwebkit2gtk-4.1-0' || fail "the package does not depend on WebKitGTK 4.1: $(dpkg-deb -f "$deb" Depends)"
# The paths the package holds, one per line (after permissions, owner, size, date and time).
contents=$(dpkg-deb -c "$deb" | sed -E 's/^([^ ]+ +){5}//; s|^\./||')
for want in usr/bin/ccsp-coordinator usr/bin/ccsp "usr/share/applications/CCSP Coordinator.desktop" \
    usr/share/doc/ccsp-coordinator/fonts/LICENSE-LiberationSans.txt usr/share/doc/ccsp-coordinator/fonts/LICENSE-DejaVuSans.txt; do
  grep -qxF "$want" <<<"$contents" || fail "the package has no $want"
done
for size in 16x16 22x22 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  grep -qxF "usr/share/icons/hicolor/$size/apps/ccsp-coordinator.png" <<<"$contents" || fail "the package has no $size icon"
done

say "Installing $(basename "$deb") with apt"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" </dev/null >/dev/null
desktop=$(dpkg -L "$package" | grep '\.desktop$')
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
grep -q '^Exec=ccsp-coordinator' "$desktop" || fail "the desktop entry does not start the app: $(grep ^Exec "$desktop")"
/usr/bin/ccsp --version | grep -qx "ccsp $version" || fail "the installed ccsp says $(/usr/bin/ccsp --version)"

say "Starting the installed app on a fresh profile, under Xvfb"
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" CCSP_DB=
mkdir -p "$HOME"
store="$XDG_DATA_HOME/org.ccsp.coordinator/ccsp.sqlite3"
cat >"$work/run.sh" <<INNER
#!/usr/bin/env bash
/usr/bin/ccsp-coordinator >"$work/app.log" 2>&1 &
for _ in \$(seq 1 60); do [ -f "$store" ] && break; sleep 0.5; done
sleep 4
${CCSP_PYTHON:-python3} -c 'import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay=None).save(sys.argv[1])' "$work/shot.png" || echo "no screenshot" >&2
kill %1 2>/dev/null || true
wait
INNER
chmod +x "$work/run.sh"
setsid xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$work/run.sh" &
pid=$!
wait "$pid" || true
pid=
[ -f "$store" ] || { cat "$work/app.log" >&2; fail "the installed app created no store at $store"; }
/usr/bin/ccsp --db "$store" plan show | grep -q "Coventry Community Safety Partnership Plan 2025-2028" \
  || fail "the store the installed app made does not hold the Coventry plan"
[ -f "$work/shot.png" ] || fail "no screenshot of the installed app"
# The screenshot shows the window: the header's near-black band and the white cards, not an
# empty display.
${CCSP_PYTHON:-python3} - "$work/shot.png" <<'PY' || fail "the screenshot shows no window"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
colours = im.getcolors(maxcolors=1 << 20) or []
assert len(colours) > 50, f"only {len(colours)} colours: an empty display"
dark = sum(n for n, (r, g, b) in colours if r < 20 and g < 20 and b < 20)
assert dark > im.width * 20, "no dark header band"
PY
[ -n "$shot" ] && cp "$work/shot.png" "$shot"

say "Removing the package"
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$package" </dev/null >/dev/null
[ ! -e /usr/bin/ccsp ] && [ ! -e /usr/bin/ccsp-coordinator ] || fail "the package's programs are still installed after removal"
[ -f "$store" ] || fail "removing the package removed the coordinator's store"
echo "ok: $(basename "$deb") installs, starts on a fresh profile with the seeded plan, runs ccsp, and uninstalls keeping the data"
