#!/usr/bin/env bash
# One-time set-up on a fresh clone: system packages the tests use (when run as root with apt),
# pnpm at the version package.json pins, the workspace's dependencies, and a build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: real virsh, libvirtd and libvirt-python to compare against, xmllint for schema checks.
missing=()
command -v virsh >/dev/null 2>&1 || missing+=(libvirt-clients)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
/usr/bin/python3 -c 'import libvirt' >/dev/null 2>&1 || missing+=(python3-libvirt)
# A real libvirtd (run by the tests as user nobody in a private directory) for @tsvirt/remote.
command -v libvirtd >/dev/null 2>&1 || missing+=(libvirt-daemon libvirt-daemon-driver-qemu)
command -v sshd >/dev/null 2>&1 || missing+=(openssh-server netcat-openbsd)
# QEMU under TCG for @tsvirt/driver-qemu; busybox-static for the test guests' initramfs.
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
# Virtual networks for @tsvirt/network, tested inside network namespaces.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v dnsmasq >/dev/null 2>&1 || missing+=(dnsmasq-base)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: warning: ${missing[*]} not installed (needs root and apt-get); tests that compare with libvirt will be skipped" >&2
  fi
fi

# pnpm, the version pinned in package.json's packageManager field.
want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  echo "setup: installing pnpm $want"
  npm install -g "pnpm@$want" >/dev/null
fi

pnpm install --frozen-lockfile
pnpm -s build

# The small real guest the QEMU tests boot (Debian kernel + busybox initramfs) in .cache/test-guest.
if command -v apt-get >/dev/null 2>&1 && command -v busybox >/dev/null 2>&1; then
  node --import tsx tools/test-guest/build.ts || echo "setup: warning: could not build the test guest; real-guest tests will be skipped" >&2
fi
