# Shared by scripts/run.sh and scripts/test.sh: install what is missing on Debian/Ubuntu.
# Sourced, not run.

# System packages Tauri 2 needs to build and run on Linux (WebKitGTK 4.1).
BUILD_PACKAGES=(libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev build-essential file pkg-config curl ca-certificates)
# Extra packages the tests use: a virtual display and its auth helper, a D-Bus session,
# PDF tools, the WebDriver for WebKitGTK.
# fonts-liberation: metric-compatible with Arial, so LibreOffice lays the Word copy out as Word would
# (without it Arial falls back to the wider DejaVu Sans and headings wrap where Word's do not).
# desktop-file-utils: desktop-file-validate checks the .deb's desktop entry.
TEST_PACKAGES=(xvfb xauth dbus poppler-utils webkit2gtk-driver libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation desktop-file-utils)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "Need root to run: $* (install sudo or run as root)" >&2; return 1
  fi
}

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "Installing the Rust toolchain (rustup, stable)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal </dev/null
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  # The quality gates (scripts/test.sh) need rustfmt and clippy, which rustup's minimal
  # profile leaves out.
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    say "Adding rustfmt and clippy to the Rust toolchain"
    rustup component add rustfmt clippy </dev/null
  fi
}

# Node.js 20.19+ for the frontend build (Vite 8). Debian 12's own nodejs is 18: when what is
# here is older, take Node 22 from the npm registry (package node-linux-<arch>) into .tools/.
ensure_node() {
  local tools="$PWD/.tools" arch
  arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  if [ -x "$tools/node_modules/node-linux-$arch/bin/node" ]; then
    export PATH="$tools/node_modules/node-linux-$arch/bin:$PATH"
  fi
  if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' 2>/dev/null; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
  say "Installing Node.js 22 from the npm registry into .tools/ (this machine's node is too old for Vite)"
  npm install --no-save --no-audit --no-fund --prefix "$tools" "node-linux-$arch@22" </dev/null
  export PATH="$tools/node_modules/node-linux-$arch/bin:$PATH"
}

# The frontend: npm packages (exactly as package-lock.json says), then the bundle in ui/dist
# that Tauri embeds in the app at compile time.
build_ui() {
  ensure_node
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing the frontend's npm packages"
    (cd ui && npm ci --no-audit --no-fund </dev/null)
  fi
  say "Building the frontend (ui/dist)"
  (cd ui && npm run --silent build </dev/null)
}

# tauri-driver: WebDriver for Tauri apps, used by the end-to-end tests.
ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "Installing tauri-driver (WebDriver for the app window)"
    cargo install tauri-driver --locked --version '^2' </dev/null
  fi
}

# Python checkers in a virtual environment of their own (.tools/venv): the iCalendar parser the
# calendar test reads the .ics with, the PDF/UA-1 and PDF/A-2a validators (page-validation's
# module `page`, and `pdfua`), pikepdf for the PDFs' structure trees, python-docx for the Word
# copy, openpyxl for the partners' return workbooks and check-jsonschema for the release
# workflow (its built-in GitHub schema, offline). CCSP_PYTHON tells the tests
# which python to run; the venv's bin goes on PATH for `pdfua`.
ensure_python_checkers() {
  local venv="$PWD/.tools/venv"
  # Pinned: the checkers' verdicts are part of the test; an upgrade is a deliberate change.
  local pins=(icalendar==7.3.2 page-validation==0.11.0 pdfua==0.1.3 pikepdf==10.18.0 python-docx==1.2.0 openpyxl==3.1.5 msoffcrypto-tool==6.1.0 check-jsonschema==0.39.0)
  if ! "$venv/bin/python" -c 'import icalendar, page, pdfua, pikepdf, docx, openpyxl, msoffcrypto' 2>/dev/null \
     || ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx 'check-jsonschema==0.39.0'; then
    command -v python3 >/dev/null 2>&1 || ensure_packages python3
    python3 -m venv "$venv" 2>/dev/null || { ensure_packages python3-venv; python3 -m venv "$venv"; }
    say "Installing the Python checkers into .tools/venv (${pins[*]})"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}" </dev/null
  fi
  export CCSP_PYTHON="$venv/bin/python"
  export PATH="$venv/bin:$PATH"
}
