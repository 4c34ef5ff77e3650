/**
 * qemuxml2argv: libvirt's domain XML → QEMU command line tests (tests/qemuxmlconftest.c, the
 * x86_64 "latest" cases against QEMU 10.0 capabilities).
 *
 * The whole pipeline: NAME.xml is parsed with the qemu driver's hooks (post-parse defaults,
 * addresses, validation; the same set-up as qemuxml2xml), then the command line is built and
 * compared with NAME.x86_64-latest.args. Cases whose expected outcome is an error
 * (NAME.x86_64-latest.err) must fail with the same message at either step.
 *
 * The harness's conventions live here, not in the builder: domain id -1, the private dir
 * /var/lib/libvirt/qemu/domain--1-NAME, PATH=/bin, user "test", monitor on fake fd 1729.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVirError } from '../../../packages/core/src/errors/index.js';
import { parseDomainXml } from '../../../packages/core/src/xml/domain/index.js';
import { parseQemuCapsCache } from '../../../packages/driver-qemu/src/capabilities/cache-xml.js';
import type { QemuCaps } from '../../../packages/driver-qemu/src/capabilities/qemu-caps.js';
import { buildQemuCommandLine } from '../../../packages/driver-qemu/src/command/build.js';
import { formatArgvLines } from '../../../packages/driver-qemu/src/command/command-line.js';
import type { FdKind, QemuBuildContext, QemuCommandConf } from '../../../packages/driver-qemu/src/command/context.js';
import type { QemuDriverConfig } from '../../../packages/driver-qemu/src/domain/config.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { harnessCaps, harnessFileName, harnessHooks } from './qemuxml2xml.js';
import { firstDifference } from './xml2xml-common.js';

const DIR = 'qemuxmlconfdata';
const CAPS = 'qemucapabilitiesdata/caps_10.0.0_x86_64.xml';
const SUFFIX = '.x86_64-latest';

/** The harness's fake host: x86_64 and the virrandom mock's zero bytes. */
const HARNESS = { defaultArch: 'x86_64', randomBytes: (n: number) => new Uint8Array(n) };

/** The value libvirt's test secret driver returns for every secret. */
const FAKE_SECRET = 'AQCVn5hO6HzFAhAAq0NCv8jtJcIcE+HOBlMQ1A';

/** Cases qemuxmlconftest.c runs with a changed qemu.conf (the driver.config->… lines around them). */
/** Cases qemuxmlconftest.c starts as incoming migrations (ARG_MIGRATE_FROM 'stdio' with ARG_MIGRATE_FD 7). */
const CASE_INCOMING: Record<string, string> = {
  'migrate-numa-unaligned': 'fd:7',
};

const CASE_CONF: Record<string, QemuCommandConf> = {
  'graphics-vnc-auto-socket-cfg': { vncAutoUnixSocket: true },
  'graphics-vnc-sasl': { vncSasl: true },
  'graphics-vnc-tls': { vncSasl: true, vncTls: true, vncTlsX509Verify: true },
  'graphics-spice-sasl': { spiceSasl: true },
  'graphics-spice-auto-socket-cfg': { spiceAutoUnixSocket: true },
  'disk-network-tlsx509-nbd': { nbdTlsX509SecretUuid: '6fd3f62d-9fe7-4a4e-a869-7acd6376d8ea' },
  'disk-network-tlsx509-nbd-hostname': { nbdTlsX509SecretUuid: '6fd3f62d-9fe7-4a4e-a869-7acd6376d8ea' },
  'serial-tcp-tlsx509-chardev': { chardevTls: true },
  'serial-tcp-tlsx509-chardev-verify': { chardevTls: true, chardevTlsX509Verify: true },
};

/** libvirt's test context for a domain (qemuxmlconftest.c / testutilsqemu.c conventions). */
export function harnessContext(domainName: string, caseName?: string): QemuBuildContext {
  // libvirt names per-domain dirs with the id and at most 20 characters of the name.
  const name = [...domainName].slice(0, 20).join('');
  // The fake descriptors libvirt's test mocks hand out.
  let nextFdSetFd = 1750;
  let nextTpmFd = 1730;
  // Per device, the tap and vhost-net mocks number the queues' descriptors up from a base.
  const perOwner = new Map<string, number>();
  const counted = (kind: FdKind, owner: string, base: number) => {
    const key = `${kind}/${owner}`;
    const n = perOwner.get(key) ?? 0;
    perOwner.set(key, n + 1);
    return base + n;
  };
  const fakeFd: Record<FdKind, (owner: string) => number> = {
    'chardev-socket': () => 1729,
    'vhost-user': () => 1729,
    fdset: () => nextFdSetFd++,
    tap: (owner) => counted('tap', owner, 102),
    'tap-ethernet': (owner) => counted('tap-ethernet', owner, 3),
    vhost: (owner) => counted('vhost', owner, 44),
    'vhost-vsock': () => 6789,
    'vhost-scsi': () => 3,
    // The TPM device and its cancel file, opened in that order.
    'tpm-passthrough': () => nextTpmFd++,
  };
  return {
    domainId: -1,
    libDir: `/var/lib/libvirt/qemu/domain--1-${name}`,
    runDir: `/var/run/libvirt/qemu/domain--1-${name}`,
    stateDir: '/var/run/libvirt/qemu',
    monitor: { fd: 1729 },
    hugetlbfs: [
      { sizeKiB: 2048, dir: '/dev/hugepages2M', isDefault: true },
      { sizeKiB: 1048576, dir: '/dev/hugepages1G' },
    ],
    memoryBackingDir: '/var/lib/libvirt/qemu/ram',
    autoNodeset: '0-3',
    // vircaps2xmldata/linux-basic: four nodes of four CPUs each.
    hostNumaNodes: [0, 1, 2, 3].map((id) => ({ id, cpus: [0, 1, 2, 3].map((c) => id * 4 + c) })),
    userRuntimeDir: '/run/user/1000',
    scsiHostdevPath: () => '/dev/sg0',
    // The time libvirt's test mocks report: 2009-02-13T23:31:30Z.
    now: () => 1234567890 * 1000,
    // The harness runs with TZ=VIR00:30: half an hour west of UTC.
    utcOffsetSeconds: () => -1800,
    // Ports libvirt picks for autoport graphics when it only pretends to start the guest.
    allocatePort: (type) => (type === 'spice' ? 5901 : 5900),
    conf: caseName === undefined ? undefined : CASE_CONF[caseName],
    ...(caseName !== undefined && CASE_INCOMING[caseName] ? { incoming: CASE_INCOMING[caseName] } : {}),
    // The test harness hands every auto-CID vsock the context id 42.
    vsockAutoCid: () => 42,
    plugsHotpluggableVcpus: true,
    defaultRenderNode: '/dev/dri/foo',
    tpmEmulatorSocket: () => '/dev/test',
    env: { PATH: '/bin', USER: 'test', LOGNAME: 'test' },
    // The mocks' "random" bytes count up from 0; every secret has the same fake value.
    secrets: {
      masterKey: Uint8Array.from({ length: 32 }, (_, i) => i),
      randomIv: () => Uint8Array.from({ length: 16 }, (_, i) => i),
      lookup: () => new TextEncoder().encode(FAKE_SECRET),
    },
    passFd: (kind, owner) => fakeFd[kind](owner),
  };
}

/** The error text libvirt's test prints (ABS_SRCDIR stands for the data folder's parent). */
function expectedError(dataRoot: string, name: string): string {
  return readFileSync(join(dataRoot, DIR, `${name}${SUFFIX}.err`), 'utf8').trimEnd();
}

/**
 * Error cases qemuxmlconftest.c runs with its mocks set differently from the .args case of the
 * same name: TEST_TPM_ENV_VAR makes the mocked swtpm_setup offer only TPM 2.0.
 */
const ERR_CASE_CONFIG: Record<string, Partial<QemuDriverConfig>> = {
  'tpm-emulator': { swtpmTpmVersions: ['2.0'] },
};

/** NAME.xml as the qemu driver parses it in libvirt's harness. */
function parseCase(dataRoot: string, caps: QemuCaps, name: string, xml: string, extra?: Partial<QemuDriverConfig>) {
  return parseDomainXml(xml, {
    ...HARNESS,
    hooks: harnessHooks(dataRoot, caps, name, extra),
    fileName: harnessFileName(name),
    flags: { inactive: true },
  });
}

function runArgsCase(dataRoot: string, allCaps: QemuCaps, name: string): void {
  const caps = harnessCaps(allCaps, name);
  const xml = readFileSync(join(dataRoot, DIR, `${name}.xml`), 'utf8');
  const expected = readFileSync(join(dataRoot, DIR, `${name}${SUFFIX}.args`), 'utf8');
  const def = parseCase(dataRoot, caps, name, xml);
  const cmd = buildQemuCommandLine(def, caps, harnessContext(def.name, name));
  const actual = formatArgvLines(cmd);
  if (actual !== expected) throw new Error(firstDifference(actual, expected));
}

function runErrCase(dataRoot: string, allCaps: QemuCaps, name: string): void {
  const caps = harnessCaps(allCaps, name);
  const expected = expectedError(dataRoot, name);
  const xml = readFileSync(join(dataRoot, DIR, `${name}.xml`), 'utf8');
  let message: string;
  try {
    const def = parseCase(dataRoot, caps, name, xml, ERR_CASE_CONFIG[name]);
    buildQemuCommandLine(def, caps, harnessContext(def.name, name));
    throw new Error(`expected error ${JSON.stringify(expected.split('\n')[0])}, got a command line`);
  } catch (err) {
    if (!isVirError(err)) throw err;
    message = err.message;
  }
  const want = expected;
  if (message !== want && !want.startsWith(message.split('\n')[0]!))
    throw new Error(
      `expected error ${JSON.stringify(want.split('\n')[0])}, got ${JSON.stringify(message.split('\n')[0])}`,
    );
}

export const suite: ConformanceSuite = {
  name: 'qemuxml2argv',
  folders: [DIR, CAPS, 'qemufirmwaredata'],
  cases(dataRoot) {
    const caps = parseQemuCapsCache(readFileSync(join(dataRoot, CAPS), 'utf8'));
    const dir = join(dataRoot, DIR);
    const out: ConformanceCase[] = [];
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith(`${SUFFIX}.args`)) {
        const name = f.slice(0, -`${SUFFIX}.args`.length);
        out.push({ name, run: () => runArgsCase(dataRoot, caps, name) });
      } else if (f.endsWith(`${SUFFIX}.err`)) {
        const name = f.slice(0, -`${SUFFIX}.err`.length);
        if (existsSync(join(dir, `${name}.xml`)))
          out.push({ name: `${name} (error)`, run: () => runErrCase(dataRoot, caps, name) });
      }
    }
    return out;
  },
};
