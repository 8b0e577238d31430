#!/usr/bin/env bash
# Installs what is missing, builds, and starts OSMO Backend Admin with the sandbox (simulated OSMO
# services; pass --no-sandbox to start without). Without a display it starts a virtual one (Xvfb).
source "$(dirname "$0")/common.sh"

ensure_toolchains
ensure_apt "${APT_APP[@]}"
ensure_ui_packages
build_ui
build_app

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  step "no display found: starting Xvfb on :99 (take a look with: import -display :99 -window root shot.png)"
  Xvfb :99 -screen 0 1280x800x24 -nolisten tcp &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null' EXIT
  export DISPLAY=:99
  sleep 0.5
fi

ARGS=(--sandbox)
for arg in "$@"; do [[ $arg == --no-sandbox ]] && ARGS=(); done
if [[ ${ARGS[*]:-} == --sandbox && ! -x $CACHE/kube-1.20.2/bin/kube-apiserver && -z ${OSMO_ADMIN_KUBE_BIN:-} ]]; then
  echo "note: the sandbox runs without a local Kubernetes cluster; build one once with tests/cluster/build.sh (~10 min)"
fi

step "starting $APP_BINARY ${ARGS[*]:-}"
if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  # A private session bus: the app's keyring and accessibility helpers end with it.
  dbus-run-session -- "$APP_BINARY" "${ARGS[@]}"
else
  "$APP_BINARY" "${ARGS[@]}"
fi
