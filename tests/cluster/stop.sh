#!/usr/bin/env bash
# Stops what start.sh started in RUN_DIR, by the PIDs it recorded (never by process name):
# the watchdog first (unless it is the caller), then controller-manager, API server and etcd
# (SIGTERM, then SIGKILL after 5 s). Safe to call twice.
#
# Usage: tests/cluster/stop.sh RUN_DIR
RUN=${1:?usage: stop.sh RUN_DIR}
# Alive = exists and is not a zombie waiting to be reaped.
alive() { [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }
if [[ -f $RUN/watchdog.pid ]]; then
  pid=$(cat "$RUN/watchdog.pid")
  [[ $pid != "$PPID" ]] && kill "$pid" 2>/dev/null
  rm -f "$RUN/watchdog.pid"
fi
for name in kcm apiserver etcd; do
  [[ -f $RUN/$name.pid ]] || continue
  pid=$(cat "$RUN/$name.pid"); kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; rm -f "$RUN/$name.pid"
done
exit 0
