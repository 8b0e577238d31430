#!/usr/bin/env bash
# Builds the Debian package with Tauri's own bundler (its CLI is a devDependency of ui/, installed by
# npm ci): the app's binary, its desktop entry and its icons. Prints the .deb's path last.
#
# Usage: scripts/package.sh [--debug]
#   (default)  the release profile, built for size: what an admin installs (~15 min cold on 2 cores)
#   --debug    the debug binary the test command already built, packaged the same way (for the
#              package check: the .deb is then much larger than the release one)
# Install the result with: sudo apt install ./path/to/osmo-backend-admin_VERSION_amd64.deb
# (the path printed last; apt needs the ./ or a full path to take a file rather than a name)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
# Everything but the path goes to stderr, so `DEB=$(scripts/package.sh)` keeps the log.
exec 3>&1 1>&2

PROFILE=release
FLAGS=()
case ${1:-} in
  "") ;;
  --debug) PROFILE=debug && FLAGS=(--debug) ;;
  *) echo "scripts/package.sh: unknown option '$1' (usage: scripts/package.sh [--debug])" >&2 && exit 2 ;;
esac

ensure_toolchains
ensure_apt "${APT_APP[@]}"
ensure_ui_packages
build_ui

step "tauri build --bundles deb ($PROFILE profile)"
# The UI was built just above (only when it changed): the bundler is told not to build it again, which
# would make cargo recompile the app around an identical ui/dist.
"$ROOT/ui/node_modules/.bin/tauri" build "${FLAGS[@]}" --ci --bundles deb --features custom-protocol \
  --config '{"build": {"beforeBuildCommand": null}}'
BUILT=$(ls -t "$CARGO_TARGET_DIR/$PROFILE/bundle/deb/"*.deb | head -n 1)
# The bundler names the file after the product ("OSMO Backend Admin_…"); Debian's own name has no spaces.
field() { dpkg-deb -f "$BUILT" "$1"; }
DEB=$(dirname "$BUILT")/$(field Package)_$(field Version)_$(field Architecture).deb
[[ $BUILT == "$DEB" ]] || mv -f "$BUILT" "$DEB"
BINARY=$CARGO_TARGET_DIR/$PROFILE/osmo-backend-admin
step "built $(basename "$DEB"): $(stat -c %s "$DEB") bytes; its binary $(stat -c %s "$BINARY") bytes"
echo "$DEB" >&3
