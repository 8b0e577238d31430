#!/usr/bin/env bash
# Starts a real single-node Kubernetes control plane on loopback only, for integration tests:
# etcd (Debian etcd-server), kube-apiserver v1.20.2 with TLS, token and client-certificate auth and RBAC, and
# kube-controller-manager (namespaces finalize, Deployments create ReplicaSets and Pods, ServiceAccount
# token Secrets are minted; Pods stay Pending: there is no scheduler or kubelet).
# Ready in about 2-6 s; ~350 MB of memory.
#
# Usage: tests/cluster/start.sh BIN_DIR RUN_DIR [--owner-pid PID [--remove-run-dir]]
#   BIN_DIR   folder with kube-apiserver and kube-controller-manager (what build.sh prints)
#   RUN_DIR   folder for state, logs and PID files (created if missing)
#   --owner-pid PID   also start a watchdog that runs stop.sh RUN_DIR as soon as process PID is gone,
#                     so an interrupted or crashed test run leaves nothing behind
#   --remove-run-dir  the watchdog also deletes RUN_DIR after stopping (for temporary run folders)
# Writes RUN_DIR/kubeconfig (context "local", user "admin" in system:masters, CA-verified TLS),
# RUN_DIR/kubeconfig-cert (context "local-cert", user "cert-admin": a client certificate with CN=cert-admin,
# O=system:masters, embedded as client-certificate-data/client-key-data), the client CA that signs it
# (RUN_DIR/client-ca.{crt,key}, passed to kube-apiserver as --client-ca-file; tests may sign more client
# certificates with it), RUN_DIR/{etcd,apiserver,kcm,watchdog}.pid, RUN_DIR/*.log.
# Prints KUBECONFIG=<path> on success.
# Stop with tests/cluster/stop.sh RUN_DIR.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
USAGE="usage: start.sh BIN_DIR RUN_DIR [--owner-pid PID [--remove-run-dir]]"
BIN=${1:?$USAGE}
RUN=${2:?$USAGE}
shift 2
OWNER= REMOVE=
while (($#)); do
  case $1 in
    --owner-pid) OWNER=${2:?--owner-pid needs a PID}; shift 2 ;;
    --remove-run-dir) REMOVE=1; shift ;;
    *) echo "start.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
for b in kube-apiserver kube-controller-manager; do
  [[ -x $BIN/$b ]] || { echo "start.sh: $BIN/$b is missing: run tests/cluster/build.sh" >&2; exit 1; }
done
for tool in etcd openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "start.sh: '$tool' is not installed (etcd: apt-get install etcd-server)" >&2; exit 1; }
done
mkdir -p "$RUN/etcd-data" "$RUN/certs"
RUN=$(cd "$RUN" && pwd)

# On any failure below, stop whatever was already started.
trap '"$HERE/stop.sh" "$RUN"' ERR

if [[ -n $OWNER ]]; then
  kill -0 "$OWNER" 2>/dev/null || { echo "start.sh: owner process $OWNER does not exist" >&2; exit 1; }
  # Detached (own session, no inherited pipes) so it outlives this script and the owner's process group.
  # stop.sh ends it; it also ends by itself when the RUN folder is removed. If the owner dies while this script
  # is still starting things, it waits for this script to finish first, so nothing started later escapes.
  setsid bash -c '
    owner=$1; run=$2; stop=$3; remove=$4; starter=$5
    alive() { [[ -r /proc/$1/stat ]] && [[ $(awk "{print \$3}" "/proc/$1/stat" 2>/dev/null) != Z ]]; }
    while alive "$owner" && [[ -d $run ]]; do sleep 1; done
    while alive "$starter"; do sleep 0.2; done
    if [[ -d $run ]]; then "$stop" "$run"; [[ -n $remove ]] && rm -rf "$run"; fi
  ' watchdog "$OWNER" "$RUN" "$HERE/stop.sh" "$REMOVE" $$ </dev/null >/dev/null 2>&1 &
  echo $! >"$RUN/watchdog.pid"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
API_PORT=$(free_port); ETCD_PORT=$(free_port); PEER_PORT=$(free_port)
openssl genrsa -out "$RUN/sa.key" 2048 2>/dev/null
openssl rsa -in "$RUN/sa.key" -pubout -out "$RUN/sa.pub" 2>/dev/null
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$TOKEN,admin,admin-uid,system:masters" >"$RUN/tokens.csv"
chmod 600 "$RUN/tokens.csv"

# Client certificates (EC P-256: quick to generate): a client CA and user cert-admin in system:masters.
newkey=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${newkey[@]}" -days 3650 -subj "/CN=osmo-test-client-ca" \
  -keyout "$RUN/client-ca.key" -out "$RUN/client-ca.crt" 2>/dev/null
openssl req "${newkey[@]}" -subj "/O=system:masters/CN=cert-admin" \
  -keyout "$RUN/cert-admin.key" -out "$RUN/cert-admin.csr" 2>/dev/null
printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >"$RUN/client-cert.ext"
openssl x509 -req -in "$RUN/cert-admin.csr" -CA "$RUN/client-ca.crt" -CAkey "$RUN/client-ca.key" \
  -set_serial 2 -days 365 -extfile "$RUN/client-cert.ext" -out "$RUN/cert-admin.crt" 2>/dev/null
chmod 600 "$RUN/client-ca.key" "$RUN/cert-admin.key"

etcd --name local --data-dir "$RUN/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-cluster "local=http://127.0.0.1:$PEER_PORT" </dev/null >"$RUN/etcd.log" 2>&1 &
echo $! >"$RUN/etcd.pid"

"$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --cert-dir="$RUN/certs" --token-auth-file="$RUN/tokens.csv" --client-ca-file="$RUN/client-ca.crt" \
  --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc \
  --service-account-key-file="$RUN/sa.pub" --service-account-signing-key-file="$RUN/sa.key" \
  --service-cluster-ip-range=10.96.0.0/24 --enable-priority-and-fairness=false \
  </dev/null >"$RUN/apiserver.log" 2>&1 &
echo $! >"$RUN/apiserver.pid"

ready() { [[ $(curl -sk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/readyz" 2>/dev/null) == ok ]]; }
for _ in $(seq 1 120); do ready && break; sleep 0.5; done
if ! ready; then
  echo "start.sh: kube-apiserver did not become ready; last lines of $RUN/apiserver.log:" >&2
  tail -20 "$RUN/apiserver.log" >&2
  false
fi

# --cert-dir writes the serving cert followed by its self-signed CA; the CA is the second block.
awk '/BEGIN CERT/{n++} n==2' "$RUN/certs/apiserver.crt" >"$RUN/ca.crt"
CA=$(base64 -w0 <"$RUN/ca.crt")
cat >"$RUN/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $CA
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: local
  context:
    cluster: local
    user: admin
    namespace: default
current-context: local
KUBECONFIG
chmod 600 "$RUN/kubeconfig"

cat >"$RUN/kubeconfig-cert" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local-cert
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $CA
users:
- name: cert-admin
  user:
    client-certificate-data: $(base64 -w0 <"$RUN/cert-admin.crt")
    client-key-data: $(base64 -w0 <"$RUN/cert-admin.key")
contexts:
- name: local-cert
  context:
    cluster: local-cert
    user: cert-admin
    namespace: default
current-context: local-cert
KUBECONFIG
chmod 600 "$RUN/kubeconfig-cert"

"$BIN/kube-controller-manager" --kubeconfig="$RUN/kubeconfig" --leader-elect=false \
  --bind-address=127.0.0.1 --secure-port=0 --port=0 \
  --service-account-private-key-file="$RUN/sa.key" --root-ca-file="$RUN/ca.crt" \
  --use-service-account-credentials=false \
  </dev/null >"$RUN/kcm.log" 2>&1 &
echo $! >"$RUN/kcm.pid"
echo "KUBECONFIG=$RUN/kubeconfig"
