#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, Rust unit/IPC/cluster tests,
# the UI's type check and linter, real-browser tests, and the real app end to end under Xvfb.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
START=$(date +%s)

ensure_toolchains
ensure_apt "${APT_APP[@]}" "${APT_TEST[@]}"
if ! command -v tauri-driver >/dev/null; then
  step "cargo install tauri-driver (once; kept in ~/.cargo/bin)"
  cargo install tauri-driver --locked --version 2.1.0
fi
ensure_ui_packages

if [[ -x tests/cluster/build.sh ]]; then
  step "Kubernetes API server binaries (built once, cached outside the repo)"
  OSMO_ADMIN_KUBE_BIN=$(tests/cluster/build.sh | tail -n 1)
  export OSMO_ADMIN_KUBE_BIN
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "UI: type check and lint"
(cd ui && npm run typecheck && npm run lint)

# The app crate embeds ui/dist, so the UI is built before anything compiles it.
build_ui

step "cargo clippy (workspace, all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (workspace)"
cargo test --workspace --locked

step "OS keyring: the real Secret Service in a private D-Bus session, then with none"
KEYRING_HOME=$(mktemp -d)
mkdir -p "$KEYRING_HOME/data" "$KEYRING_HOME/run" && chmod 700 "$KEYRING_HOME/run"
XDG_DATA_HOME=$KEYRING_HOME/data XDG_RUNTIME_DIR=$KEYRING_HOME/run dbus-run-session -- sh -c \
  'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && cargo test --locked -p osmo-admin-secrets --test keyring'
env -u DBUS_SESSION_BUS_ADDRESS OSMO_ADMIN_EXPECT_NO_KEYRING=1 cargo test --locked -p osmo-admin-secrets --test keyring
rm -rf "$KEYRING_HOME"

step "real-browser UI tests (playwright-core + Debian chromium, mocked IPC)"
(cd ui && npm run test:browser)

build_app
cargo build --locked -p osmo-sim --bin osmo-sim

step "end to end: the real app under Xvfb and openbox, through tauri-driver + WebKitWebDriver and xdotool"
DISPLAY_FILE=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$DISPLAY_FILE" &
XVFB_PID=$!
WM_PID=
trap 'kill $XVFB_PID $WM_PID 2>/dev/null; rm -f "$DISPLAY_FILE"' EXIT
for _ in $(seq 1 50); do [[ -s $DISPLAY_FILE ]] && break; sleep 0.1; done
export DISPLAY=:$(head -n 1 "$DISPLAY_FILE")
# A window manager gives the app's window the focus, so that the journeys' real keystrokes reach it.
openbox >/dev/null 2>&1 &
WM_PID=$!
# The app keeps session secrets in a real Secret Service (gnome-keyring) of a private D-Bus session.
KEYRING_HOME=$(mktemp -d)
mkdir -p "$KEYRING_HOME/data" "$KEYRING_HOME/run" && chmod 700 "$KEYRING_HOME/run"
(cd ui && OSMO_ADMIN_BINARY=$APP_BINARY OSMO_SIM_BINARY=$CARGO_TARGET_DIR/debug/osmo-sim \
  XDG_RUNTIME_DIR=$KEYRING_HOME/run KEYRING_DATA=$KEYRING_HOME/data dbus-run-session -- sh -c \
  'echo -n test | XDG_DATA_HOME=$KEYRING_DATA gnome-keyring-daemon --unlock --components=secrets >/dev/null && npm run test:e2e')
# The app's desktop portal may have mounted its document store under the runtime folder.
fusermount -u "$KEYRING_HOME/run/doc" 2>/dev/null || true
rm -rf "$KEYRING_HOME" 2>/dev/null || echo "note: could not remove $KEYRING_HOME (a mount still in use)"

# The package an admin installs, built by Tauri's bundler around the debug binary built above (a
# release build would add about 15 minutes on 2 cores; scripts/package.sh without --debug builds it).
step "the .deb: built, installed with apt, started from /usr/bin, purged (tests/package/check.sh)"
DEB=$(./scripts/package.sh --debug)
tests/package/check.sh "$DEB"

# On the debug binaries this command already built: a release build of both apps would add many
# minutes on 2 cores. The table's heading names the profile; docs/performance.md holds release figures.
step "the benchmark, quick settings, debug builds (prints its table; asserts nothing)"
BENCH_PROFILE=dev ./scripts/bench.sh --quick

echo "screenshots of the journeys, for a person to look at: $ROOT/ui/tests/e2e/screenshots/journeys"
step "all tests passed in $(($(date +%s) - START)) s"
