#!/usr/bin/env bash
# The package check: installs the built .deb with apt on this machine, checks what it holds (the
# app, its desktop entry and icons, and none of the test-only programs), starts the installed app
# once from /usr/bin under Xvfb to see its window and the version in About, then purges it and
# checks that nothing of it is left.
#
# Usage: tests/package/check.sh path/to/osmo-backend-admin_VERSION_ARCH.deb
# Needs root or sudo, tauri-driver, WebKitWebDriver and Xvfb (scripts/test.sh installs them).
set -euo pipefail
[[ -f ${1:-} ]] || { echo "usage: tests/package/check.sh path/to/package.deb (scripts/package.sh prints one); got '${1:-}'" >&2; exit 2; }
DEB=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PACKAGE=osmo-backend-admin
BINARY=/usr/bin/osmo-backend-admin
sudo=()
((EUID == 0)) || sudo=(sudo)
fail() { echo "package check FAILED: $*" >&2; exit 1; }

echo "package: $DEB ($(stat -c %s "$DEB") bytes)"
# `dpkg-deb -c` lists like `tar tv`: five fields, then the name (which may hold spaces).
CONTENTS=$(dpkg-deb -c "$DEB" | sed -E 's/^([^ ]+ +){5}//; s|^\./||; s|^|/|')
grep -qx "$BINARY" <<<"$CONTENTS" || fail "$BINARY is not in the package"
grep -qE '^/usr/share/applications/.+\.desktop$' <<<"$CONTENTS" || fail "no desktop entry in the package"
grep -qE '^/usr/share/icons/hicolor/.+/apps/.+\.png$' <<<"$CONTENTS" || fail "no icons in the package"
# The sandbox runs inside the app: the simulator's and the helm stand-in's own binaries stay out.
while read -r program; do
  [[ -z $program || $program == "$BINARY" ]] || fail "the package holds $program; only the app belongs in it"
done < <(grep -E '^/usr/(s?bin|lib)/.*[^/]$' <<<"$CONTENTS" || true)
if grep -qiE 'osmo-sim|helm-standin' <<<"$CONTENTS"; then fail "a test-only program is in the package"; fi
dpkg-deb -f "$DEB" Depends | grep -q libwebkit2gtk-4.1 || fail "the package does not depend on WebKitGTK"

# A package installed before this check would be replaced and then removed: say so rather than guess.
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
  fail "$PACKAGE is already installed on this machine; remove it first (apt purge $PACKAGE)"
fi
trap '"${sudo[@]}" apt-get purge -y -q "$PACKAGE" >/dev/null 2>&1 || true' EXIT

echo "apt install $DEB"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$DEB"
[[ -x $BINARY ]] || fail "$BINARY is not there after apt install"
if ldd "$BINARY" | grep 'not found'; then fail "the installed binary misses libraries (above)"; fi
DESKTOP=$(dpkg -L "$PACKAGE" | grep -E '^/usr/share/applications/.+\.desktop$')
grep -qE '^Exec=osmo-backend-admin' "$DESKTOP" || fail "$DESKTOP does not start osmo-backend-admin"
grep -qE '^Icon=osmo-backend-admin' "$DESKTOP" || fail "$DESKTOP names no icon"
INSTALLED_FILES=$(dpkg -L "$PACKAGE" | while read -r f; do if [[ -f $f ]]; then echo "$f"; fi; done)

echo "starting $BINARY once under Xvfb"
DISPLAY_FILE=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$DISPLAY_FILE" &
XVFB_PID=$!
trap 'kill $XVFB_PID 2>/dev/null; rm -f "$DISPLAY_FILE"; "${sudo[@]}" apt-get purge -y -q "$PACKAGE" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 50); do [[ -s $DISPLAY_FILE ]] && break; sleep 0.1; done
(cd "$ROOT/ui" && DISPLAY=:$(head -n 1 "$DISPLAY_FILE") OSMO_ADMIN_INSTALLED=$BINARY \
  dbus-run-session -- node --test tests/package/installed.test.js)

echo "apt purge $PACKAGE"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -q "$PACKAGE"
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok'; then fail "dpkg still lists $PACKAGE"; fi
while read -r f; do
  if [[ -e $f ]]; then fail "$f is left after apt purge"; fi
done <<<"$INSTALLED_FILES"
echo "package check passed: installed, started, About checked, purged without a trace"
