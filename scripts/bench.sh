#!/usr/bin/env bash
# The benchmark: builds this app and a near-empty Tauri 2 app (bench/empty-app: same Tauri, same
# profile) and prints one table of every figure of docs/performance.md, each beside the empty app's
# where one exists. Asserts nothing.
#
# Usage: scripts/bench.sh [--quick]
#   --quick   fewer starts and shorter idle windows (what the test command runs, so every CI log
#             records the figures); the table's heading says which settings it came from.
# BENCH_PROFILE picks the cargo profile both apps are built with (default: release).
source "$(dirname "$0")/common.sh"
cd "$ROOT"

QUICK=false
[[ ${1:-} == --quick ]] && QUICK=true
PROFILE=${BENCH_PROFILE:-release}
if $QUICK; then
  export BENCH_RUNS=2 BENCH_SETTLE=10 BENCH_IDLE=20
else
  export BENCH_RUNS=5 BENCH_SETTLE=30 BENCH_IDLE=60
fi
export BENCH_SERVICES=50

ensure_toolchains
ensure_apt "${APT_APP[@]}" "${APT_TEST[@]}"
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0
ensure_ui_packages
[[ -x tests/cluster/build.sh ]] && OSMO_ADMIN_KUBE_BIN=$(tests/cluster/build.sh | tail -n 1) && export OSMO_ADMIN_KUBE_BIN
build_ui

step "building both apps and the simulator farm (cargo profile $PROFILE)"
cargo build --locked --profile "$PROFILE" --features custom-protocol --bin osmo-backend-admin
cargo build --locked --profile "$PROFILE" -p empty-tauri-app --features custom-protocol
cargo build --locked --profile "$PROFILE" -p osmo-sim --example farm
OUT=$CARGO_TARGET_DIR/$([[ $PROFILE == dev ]] && echo debug || echo "$PROFILE")
export BENCH_APP=$OUT/osmo-backend-admin BENCH_EMPTY=$OUT/empty-tauri-app BENCH_FARM=$OUT/examples/farm

ROWS=$(mktemp)
trap 'rm -f "$ROWS"' EXIT
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
size_ratio() { awk -v a="$(stat -c %s "$1")" -v b="$(stat -c %s "$2")" 'BEGIN { printf "%.2f", b / a }'; }
echo "binary ($PROFILE profile)|$(mib "$BENCH_EMPTY")|$(mib "$BENCH_APP")|$(size_ratio "$BENCH_EMPTY" "$BENCH_APP")" >>"$ROWS"
DEB=$(ls -t "$OUT"/bundle/deb/*.deb 2>/dev/null | head -n 1 || true)
if [[ -n $DEB ]]; then
  echo ".deb package ($PROFILE profile, built by scripts/package.sh on $(date -r "$DEB" -u '+%F %R UTC'))||$(mib "$DEB")|" >>"$ROWS"
else
  echo ".deb package ($PROFILE profile)||not built (scripts/package.sh builds it)|" >>"$ROWS"
fi

step "the core's own figures (examples, $PROFILE profile)"
# A figure that is not printed leaves its cell empty: the table is still printed, nothing asserted.
discovery=$(cargo run -q --locked --profile "$PROFILE" -p osmo-admin-kube --example discovery_bench | grep -o 'median [0-9.]* ms.*' || true)
echo "500 contexts in 20 kubeconfig files: discovered, loaded and listed||$discovery|" >>"$ROWS"
while IFS= read -r line; do
  echo "${line%%:*}||${line#*: }|" >>"$ROWS"
done < <(cargo run -q --locked --profile "$PROFILE" -p osmo-admin-health --example dashboard_bench | grep -E '^(fetch|poller)' || true)
render=$(cd ui && node --import tsx --test --test-name-pattern='benchmark' tests/browser/dashboard.test.ts 2>&1 |
  grep -o 'dashboard render, 1,000 backends: .*' | head -n 1 || true)
echo "1,000 rows first render in Chromium (mocked IPC)||${render#*: }|" >>"$ROWS"

if [[ -z ${DISPLAY:-} ]]; then
  DISPLAY_FILE=$(mktemp)
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$DISPLAY_FILE" &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null; rm -f "$DISPLAY_FILE" "$ROWS"' EXIT
  for _ in $(seq 1 50); do [[ -s $DISPLAY_FILE ]] && break; sleep 0.1; done
  export DISPLAY=:$(head -n 1 "$DISPLAY_FILE")
fi

step "measuring the running apps (a few minutes)"
export BENCH_ROWS=$ROWS
export BENCH_NOTE="Benchmark ($($QUICK && echo quick || echo full) settings: $BENCH_RUNS alternated starts, \
$BENCH_SETTLE s settle, $BENCH_IDLE s idle; cargo profile $PROFILE) on $(uname -m), $(nproc) cores, \
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(date -u +%Y-%m-%d):"
dbus-run-session -- node ui/tests/bench/bench.js
