#!/usr/bin/env bash
# Builds a real kube-apiserver and kube-controller-manager (Kubernetes v1.20.2) for the integration tests,
# from Debian bookworm's `kubernetes` source package (it carries the full upstream tree with vendor/).
# Needs only Debian's package archive and Debian's golang-go (1.19); /etc/apt is left untouched.
#
# The result is cached OUTSIDE the repository, so a second call is instant:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/osmo-backend-admin/kube-1.20.2/bin
# Cold build: about 10 min on 2 cores, ~2.2 GB of disk under the cache folder.
#
# Usage: tests/cluster/build.sh [OUT_DIR]
# Prints the bin folder (holding kube-apiserver and kube-controller-manager) on stdout.
# The Rust harness (crates/test-cluster) finds the binaries there, or in $OSMO_ADMIN_KUBE_BIN.
set -euo pipefail
OUT=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/osmo-backend-admin/kube-1.20.2}
VERSION=1.20.5+really1.20.2-1.1+deb12u1
if [[ -x $OUT/bin/kube-apiserver && -x $OUT/bin/kube-controller-manager ]]; then
  echo "$OUT/bin"; exit 0
fi
mkdir -p "$OUT/apt/lists/partial" "$OUT/apt/parts" "$OUT/bin" "$OUT/home"
export DEBIAN_FRONTEND=noninteractive

# Tools: Go to build, etcd-server to run (start.sh), rsync + dpkg-dev for the source package and its build.
missing=()
command -v go >/dev/null || missing+=(golang-go)
command -v etcd >/dev/null || missing+=(etcd-server)
command -v rsync >/dev/null || missing+=(rsync)
command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} ..." >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

# A private deb-src list made from this machine's own apt sources.
src_list=$OUT/apt/parts/src.sources
: >"$src_list"
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] && sed -E 's/^Types:.*/Types: deb-src/' "$f" >>"$src_list" && echo >>"$src_list"
done
if [[ -f /etc/apt/sources.list ]]; then
  grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$OUT/apt/parts/src.list" || true
fi
APT=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$OUT/apt/parts" -o "Dir::State::Lists=$OUT/apt/lists")
echo "fetching the kubernetes $VERSION source package ..." >&2
apt-get "${APT[@]}" update >/dev/null

cd "$OUT"
if [[ ! -d src ]]; then
  rm -rf src.partial
  apt-get "${APT[@]}" source --download-only "kubernetes=$VERSION" >/dev/null
  dpkg-source -x kubernetes_*.dsc src.partial >/dev/null
  mv src.partial src
fi
cd src
echo "building kube-apiserver and kube-controller-manager (~10 min cold; log: $OUT/build.log) ..." >&2
# Kubernetes 1.20 builds in GOPATH mode with its vendored dependencies (hack/lib sets GO111MODULE=off).
HOME="$OUT/home" CGO_ENABLED=0 make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$OUT/build.log" 2>&1 \
  || { tail -30 "$OUT/build.log" >&2; exit 1; }
# Copy then rename, so a half-copied binary is never mistaken for a finished build.
for b in kube-apiserver kube-controller-manager; do
  cp _output/bin/$b "$OUT/bin/.$b.tmp" && mv "$OUT/bin/.$b.tmp" "$OUT/bin/$b"
done
echo "$OUT/bin"
