#!/usr/bin/env bash
# Installs the system programs Kite's tests need, from Debian's packages. Idempotent: a program
# already present is left alone, and apt-get runs only when something is missing.
# Usage: scripts/setup-system.sh            (everything the test suite needs)
set -euo pipefail

# program -> Debian package that provides it
# (a path for programs outside PATH, e.g. the CNI plugins in /usr/lib/cni)
declare -A packages=(
  [etcd]=etcd-server
  [containerd]=containerd
  [runc]=runc
  [/usr/lib/cni/bridge]=containernetworking-plugins
  [/bin/busybox]=busybox-static
  [docker-registry]=docker-registry
  [ip]=iproute2
)

missing=()
for program in "${!packages[@]}"; do
  if [[ $program == /* ]]; then
    [ -x "$program" ] && continue
  elif command -v "$program" >/dev/null 2>&1 || [ -x "/usr/bin/$program" ]; then
    continue
  fi
  missing+=("${packages[$program]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "setup-system: missing ${missing[*]}; run as root (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a system etcd on install; Kite's tests run their own, so stop the packaged one.
if printf '%s\n' "${missing[@]}" | grep -qx etcd-server; then
  (systemctl stop etcd 2>/dev/null || service etcd stop 2>/dev/null || true) >/dev/null 2>&1
  pkill -x etcd -U etcd 2>/dev/null || true
fi
# Likewise a system containerd and registry: Kite's tests start private ones (own socket, root and
# state; a registry inside the test's network namespace).
for service in containerd docker-registry; do
  if printf '%s\n' "${missing[@]}" | grep -qx "$service"; then
    (systemctl stop "$service" 2>/dev/null || service "$service" stop 2>/dev/null || true) >/dev/null 2>&1
  fi
done
