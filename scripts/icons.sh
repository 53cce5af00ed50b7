#!/usr/bin/env bash
# Makes every icon the packages need from the one source drawn for the app,
# assets/icons/icon.svg, with the Tauri CLI's `icon` command (ui/node_modules, pinned in
# ui/package.json): the freedesktop sizes (16 to 512 px) the .deb installs into hicolor, the
# Windows .ico (16 to 256 px), the macOS .icns and the PNGs Tauri embeds in the app.
# Usage: scripts/icons.sh          writes them into assets/icons/ (commit the result)
#        scripts/icons.sh --check  fails if the committed ones are not what the source makes
#                                  (the .icns carries a timestamp, so it is only checked to exist)
set -euo pipefail
cd "$(dirname "$0")/.."
tauri=ui/node_modules/.bin/tauri
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$tauri" icon assets/icons/icon.svg --output "$out/all" >/dev/null 2>&1
"$tauri" icon assets/icons/icon.svg --output "$out/png" --png 16,22,24,48,256,512 >/dev/null 2>&1
mkdir "$out/set"
cp "$out/all/32x32.png" "$out/all/64x64.png" "$out/all/128x128.png" "$out/all/128x128@2x.png" \
   "$out/all/icon.ico" "$out/all/icon.icns" "$out/all/icon.png" "$out/png/"*.png "$out/set/"
if [ "${1:-}" = "--check" ]; then
  for f in "$out/set/"*; do
    name=$(basename "$f")
    [ -f "assets/icons/$name" ] || { echo "FAIL: assets/icons/$name is missing: run scripts/icons.sh" >&2; exit 1; }
    [ "$name" = icon.icns ] || cmp -s "$f" "assets/icons/$name" \
      || { echo "FAIL: assets/icons/$name is not what icon.svg makes: run scripts/icons.sh and commit" >&2; exit 1; }
  done
  echo "ok: the icons in assets/icons/ are made from icon.svg"
else
  cp "$out/set/"* assets/icons/
  echo "icons made from assets/icons/icon.svg into assets/icons/"
fi
