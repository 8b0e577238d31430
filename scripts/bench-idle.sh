#!/usr/bin/env bash
# Measures the app at rest: CPU (app + its WebKit processes, % of one core) over a window of idle time
# and their memory (PSS), with and without the sandbox, on the binary the test command builds.
# Usage: scripts/bench-idle.sh [seconds of idle, default 60]. Prints one table; asserts nothing.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
IDLE=${1:-60}
SETTLE=20
APP=${OSMO_ADMIN_BINARY:-$CARGO_TARGET_DIR/debug/osmo-backend-admin}
[[ -x $APP ]] || { echo "no app binary at $APP: run scripts/test.sh (or build_app) first" >&2; exit 1; }
export OSMO_ADMIN_KUBE_BIN=${OSMO_ADMIN_KUBE_BIN:-$CACHE/kube-1.20.2/bin}

if [[ -z ${DISPLAY:-} ]]; then
  DISPLAY_FILE=$(mktemp)
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$DISPLAY_FILE" &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null; rm -f "$DISPLAY_FILE"' EXIT
  for _ in $(seq 1 50); do [[ -s $DISPLAY_FILE ]] && break; sleep 0.1; done
  export DISPLAY=:$(head -n 1 "$DISPLAY_FILE")
fi

# The app and every process under it (WebKit's web and network processes), not the sandbox's cluster.
tree_of() {
  local pid=$1
  echo "$pid"
  for child in $(pgrep -P "$pid"); do
    [[ $(cat "/proc/$child/comm" 2>/dev/null) == kube-* ]] || tree_of "$child"
  done
}
ticks() { # utime + stime of the processes given, in clock ticks
  local sum=0
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    local fields
    read -ra fields < <(sed 's/.*) //' "/proc/$pid/stat")
    sum=$((sum + fields[11] + fields[12]))
  done
  echo "$sum"
}
pss_kib() {
  local sum=0
  for pid in "$@"; do
    local kib
    kib=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    sum=$((sum + ${kib:-0}))
  done
  echo "$sum"
}

measure() { # label, app args...
  local label=$1
  shift
  local home
  home=$(mktemp -d)
  XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data KUBECONFIG=$home/none.yaml \
    dbus-run-session -- "$APP" "$@" >"$home/app.log" 2>&1 &
  local runner=$!
  sleep "$SETTLE"
  local app
  app=$(pgrep -f -n -x "$APP( .*)?")
  if [[ -z $app ]]; then
    echo "| $label | the app did not start (see $home/app.log) | | | |"
    return
  fi
  local pids before after own_before own_after hz
  mapfile -t pids < <(tree_of "$app")
  hz=$(getconf CLK_TCK)
  before=$(ticks "${pids[@]}")
  own_before=$(ticks "$app")
  sleep "$IDLE"
  mapfile -t pids < <(tree_of "$app")
  after=$(ticks "${pids[@]}")
  own_after=$(ticks "$app")
  local cpu own pss
  percent() { awk -v t="$1" -v hz="$hz" -v s="$IDLE" 'BEGIN { printf "%.2f", 100 * t / hz / s }'; }
  cpu=$(percent $((after - before)))
  own=$(percent $((own_after - own_before)))
  pss=$(( $(pss_kib "${pids[@]}") / 1024 ))
  echo "| $label | $cpu % | $own % | $pss MiB | ${#pids[@]} |"
  kill "$app" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  rm -rf "$home"
}

echo "Idle figures of $APP ($(uname -m), $(nproc) cores), ${SETTLE} s after start then ${IDLE} s idle:"
echo "| run | CPU (% of a core) | of which the app process (its Rust core, and the sandbox's simulators) | memory (PSS) | processes |"
echo "|---|---|---|---|---|"
measure "no sandbox, empty dashboard"
measure "sandbox, dashboard polling (its cluster not counted)" --sandbox
