/**
 * Builds the small real guest the QEMU tests boot: Debian's kernel (downloaded with apt-get,
 * unpacked with dpkg-deb) and an initramfs of busybox-static with an /init of our own that
 * prints a ready line on the serial console, powers off on the ACPI power button (acpid) and
 * runs a shell on the console. Output: OUT/vmlinuz, OUT/initrd.gz (default .cache/test-guest).
 *
 *   node --import tsx tools/test-guest/build.ts [OUT]
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_GUEST_DIR = join(repoRoot, '.cache', 'test-guest');

/** The line /init prints once the guest is up, for tests waiting on the console. */
export const GUEST_READY_LINE = 'TSVIRT-GUEST-READY';

/** Loaded in this order (each after what it depends on): ACPI button, virtio disk, NIC and balloon, pvpanic. */
const MODULES = [
  'kernel/drivers/input/evdev.ko',
  'kernel/drivers/acpi/button.ko',
  'kernel/drivers/virtio/virtio_ring.ko',
  'kernel/drivers/virtio/virtio.ko',
  'kernel/drivers/virtio/virtio_pci_modern_dev.ko',
  'kernel/drivers/virtio/virtio_pci_legacy_dev.ko',
  'kernel/drivers/virtio/virtio_pci.ko',
  'kernel/drivers/block/virtio_blk.ko',
  'kernel/drivers/virtio/virtio_balloon.ko',
  'kernel/net/core/failover.ko',
  'kernel/drivers/net/net_failover.ko',
  'kernel/drivers/net/virtio_net.ko',
  'kernel/drivers/misc/pvpanic/pvpanic.ko',
  'kernel/drivers/misc/pvpanic/pvpanic-mmio.ko',
];
/**
 * udhcpc's default script (/etc/udhcpc/default.script in Debian's busybox): configures the lease it got (address, default route, resolv.conf
 * naming the DHCP server's DNS), so the guest resolves names through the network's dnsmasq.
 */
const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
bound|renew)
  ip addr flush dev "$interface"
  ip addr add "$ip/$mask" dev "$interface"
  for r in $router; do ip route add default via "$r" dev "$interface"; break; done
  : > /etc/resolv.conf
  for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
  [ -n "$domain" ] && echo "search $domain" >> /etc/resolv.conf
  ;;
esac
exit 0
`;

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /lib/modules/*.ko; do insmod "$m"; done
# The ACPI power button (virsh shutdown) powers the guest off: acpid runs /etc/acpi/power-off.
printf '#!/bin/sh\\necho TSVIRT-GUEST-POWER-OFF\\npoweroff -f\\n' > /etc/acpi/power-off
chmod 755 /etc/acpi/power-off
printf 'PWRF power-off\\nPWRB power-off\\n' > /etc/acpid.conf
# Ready means acpid already listens on the power button's event device (it appears late).
ev=
i=0
while [ $i -lt 100 ]; do
  [ -z "$ev" ] && ev=$(grep -A5 'Name="Power Button"' /proc/bus/input/devices | grep -o 'event[0-9]*' | head -n 1)
  if [ -n "$ev" ] && [ -e /dev/input/$ev ] && [ -z "$acpid_pid" ]; then
    acpid -f -c /etc/acpi -a /etc/acpid.conf -l /tmp/acpid.log &
    acpid_pid=$!
  fi
  [ -n "$acpid_pid" ] && ls -l /proc/$acpid_pid/fd | grep -q "input/$ev" && break
  i=$((i+1))
  sleep 0.1
done
echo ${GUEST_READY_LINE}
while true; do setsid cttyhack sh; done
`;

/** Written beside a finished guest: a guest built from another module list or other scripts is rebuilt. */
const MODULES_STAMP = [...MODULES, INIT, UDHCPC_SCRIPT, 'etc/udhcpc'].join('\n');

function run(cmd: string, args: string[], cwd?: string, input?: Buffer): Buffer {
  const r = spawnSync(cmd, args, { cwd, input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().trim()}`);
  return r.stdout;
}

/** linux-image-amd64 is a meta package: the versioned image it depends on carries the kernel. */
function kernelPackage(): string {
  const deps = run('apt-cache', ['depends', 'linux-image-amd64']).toString();
  const m = /Depends: (linux-image-[0-9][^\s]*)/.exec(deps);
  if (!m?.[1]) throw new Error('cannot find the kernel package linux-image-amd64 depends on');
  return m[1];
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out.push(path);
    if (statSync(path).isDirectory()) out.push(...listTree(path));
  }
  return out;
}

export function buildTestGuest(outDir = DEFAULT_GUEST_DIR): { kernel: string; initrd: string } {
  const kernel = join(outDir, 'vmlinuz');
  const initrd = join(outDir, 'initrd.gz');
  const stamp = join(outDir, 'modules.txt');
  const current = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  if (existsSync(kernel) && existsSync(initrd) && current === MODULES_STAMP) return { kernel, initrd };
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'tsvirt-guest-'));
  try {
    const pkg = kernelPackage();
    run('apt-get', ['download', '-q', pkg], work);
    const deb = readdirSync(work).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb`);
    const unpacked = join(work, 'deb');
    run('dpkg-deb', ['-x', deb, unpacked], work);
    const version = pkg.replace(/^linux-image-/, '');

    const root = join(work, 'initramfs');
    for (const d of ['bin', 'dev', 'proc', 'sys', 'etc/acpi', 'lib/modules', 'tmp', 'etc/udhcpc'])
      mkdirSync(join(root, d), { recursive: true });
    copyFileSync(run('sh', ['-c', 'command -v busybox']).toString().trim(), join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    // A number in front keeps /init's glob loading them in MODULES order.
    MODULES.forEach((m, i) => {
      const name = `${String(i).padStart(2, '0')}-${m.split('/').pop()!}`;
      copyFileSync(join(unpacked, 'lib/modules', version, m), join(root, 'lib/modules', name));
    });
    writeFileSync(join(root, 'init'), INIT, { mode: 0o755 });
    writeFileSync(join(root, 'etc/udhcpc/default.script'), UDHCPC_SCRIPT, { mode: 0o755 });
    const files = listTree(root).map((p) => relative(root, p));
    const cpio = run('busybox', ['cpio', '-o', '-H', 'newc'], root, Buffer.from(`${files.join('\n')}\n`));
    writeFileSync(`${initrd}.tmp`, gzipSync(cpio));
    copyFileSync(join(unpacked, 'boot', `vmlinuz-${version}`), `${kernel}.tmp`);
    // Rename last, so a half-built guest is never taken for a finished one.
    renameSync(`${initrd}.tmp`, initrd);
    renameSync(`${kernel}.tmp`, kernel);
    writeFileSync(stamp, MODULES_STAMP);
    return { kernel, initrd };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { kernel, initrd } = buildTestGuest(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_GUEST_DIR);
  console.log(`test guest: ${kernel} ${initrd}`);
}
