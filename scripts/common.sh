# Shared by scripts/run.sh and scripts/test.sh: environment and idempotent installs.
# Heavy caches live outside the repository so a second run is quick.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/osmo-backend-admin
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
export PATH=$HOME/.cargo/bin:$PATH

# Debian packages: Tauri's build libraries, the Secret Service keyring, Xvfb and the WebKit driver
# for real-window tests, chromium for browser tests, and what the Kubernetes harness builds with.
APT_APP=(libwebkit2gtk-4.1-dev build-essential curl file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config libdbus-1-dev libsqlite3-dev dbus dbus-x11 gnome-keyring xvfb xauth)
APT_TEST=(webkit2gtk-driver xdotool openbox inotify-tools imagemagick chromium golang-go etcd-server rsync dpkg-dev openssl python3)

step() { printf '\n==> %s\n' "$*"; }

# Installs the Debian packages that are missing (apt-get update only when something is).
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  step "installing Debian packages: ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_toolchains() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
  command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer" >&2; exit 1; }
}

# The UI's packages, exactly as locked.
ensure_ui_packages() {
  if [[ ! -d $ROOT/ui/node_modules ]] || [[ $ROOT/ui/package-lock.json -nt $ROOT/ui/node_modules/.package-lock.json ]]; then
    step "npm ci (ui/)"
    (cd "$ROOT/ui" && npm ci --no-audit --no-fund)
  fi
}

# ui/dist is rebuilt only when something it is built from changed since the last build: a rebuilt
# ui/dist makes cargo recompile the app (which embeds it), so a warm run would wait for both.
UI_STAMP=$ROOT/ui/dist.stamp
UI_INPUTS=("$ROOT/ui/src" "$ROOT/ui/public" "$ROOT/ui/index.html" "$ROOT/ui/package-lock.json"
  "$ROOT/ui/vite.config.ts" "$ROOT/ui/tsconfig.json")

ui_is_built() {
  [[ -f $UI_STAMP && -f $ROOT/ui/dist/index.html ]] &&
    [[ -z $(find "${UI_INPUTS[@]}" -newer "$UI_STAMP" -print -quit) ]]
}

build_ui() {
  if ui_is_built; then
    step "the UI is up to date (ui/dist is newer than ui/src and its build files)"
    return 0
  fi
  step "building the UI (ui/dist)"
  # Stamped with the time the build started, so a file saved during the build counts as changed.
  touch "$UI_STAMP.new"
  (cd "$ROOT/ui" && npm run build)
  mv "$UI_STAMP.new" "$UI_STAMP"
}

# The app binary with the UI embedded (no dev server needed).
build_app() {
  step "building the app (cargo build --locked --features custom-protocol)"
  (cd "$ROOT" && cargo build --locked --features custom-protocol --bin osmo-backend-admin)
  APP_BINARY=$CARGO_TARGET_DIR/debug/osmo-backend-admin
}
