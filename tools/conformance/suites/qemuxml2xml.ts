/**
 * qemuxml2xml: the XML half of libvirt's tests/qemuxmlconftest.c. NAME.xml from qemuxmlconfdata
 * is parsed as a persistent definition (VIR_DOMAIN_DEF_PARSE_INACTIVE) with the qemu driver's
 * hooks and QEMU 10.0's capabilities, then formatted with VIR_DOMAIN_XML_SECURE; the result must
 * equal NAME.x86_64-latest.xml. As libvirt's harness also does, that expected output must
 * itself parse and format back unchanged.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVirError } from '../../../packages/core/src/errors/index.js';
import { formatDomainXml, parseDomainXml } from '../../../packages/core/src/xml/domain/index.js';
import {
  parseQemuCapsCache,
  type QemuCaps,
  type QemuDriverConfig,
  qemuDomainXmlHooks,
} from '../../../packages/driver-qemu/src/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

const SUFFIX = '.x86_64-latest.xml';
const CAPS_FILE = join('qemucapabilitiesdata', 'caps_10.0.0_x86_64.xml');

/** The harness's fake host: x86_64 and the virrandom mock's zero bytes. */
const HARNESS = { defaultArch: 'x86_64', randomBytes: (n: number) => new Uint8Array(n) };

/** Cases qemuxmlconftest.c runs with a changed qemu.conf or environment. */
const CASE_CONFIG: Record<string, Partial<QemuDriverConfig>> = {
  'audio-default-sdl': { env: { QEMU_AUDIO_DRV: 'sdl', SDL_AUDIODRIVER: 'esd' } },
  'audio-default-vnc': { vncAllowHostAudio: true, env: { QEMU_AUDIO_DRV: 'alsa' } },
  'audio-default-nographics': { nogfxAllowHostAudio: true, env: { QEMU_AUDIO_DRV: 'alsa' } },
};

/** Cases qemuxmlconftest.c runs with capabilities taken away (ARG_QEMU_CAPS_DEL). */
const CASE_CAPS_DEL: Record<string, readonly string[]> = {
  'usb-controller-nec-xhci-unavailable': ['nec-usb-xhci'],
  'usb-controller-default-unavailable-q35': ['piix3-usb-uhci'],
  'usb-controller-automatic-unavailable-q35': ['qemu-xhci', 'nec-usb-xhci', 'ich9-usb-ehci1'],
};

/** QEMU 10.0's capabilities as the harness gives them to one case. */
export function harnessCaps(caps: QemuCaps, name: string): QemuCaps {
  const del = CASE_CAPS_DEL[name];
  if (!del) return caps;
  return { ...caps, flags: new Set([...caps.flags].filter((f) => !del.includes(f))) };
}

/** The harness points /etc/qemu/firmware and /usr/share/qemu/firmware at qemufirmwaredata (privileged: no $HOME). */
function harnessConfig(dataRoot: string): QemuDriverConfig {
  const fw = join(dataRoot, 'qemufirmwaredata');
  return { firmwareDirs: [join(fw, 'etc/qemu/firmware'), join(fw, 'usr/share/qemu/firmware')] };
}

/** The qemu driver's hooks as the harness sets them up for one case (qemu.conf, environment, firmware). */
export function harnessHooks(
  dataRoot: string,
  caps: QemuCaps,
  name: string,
  extra: Partial<QemuDriverConfig> = {},
): ReturnType<typeof qemuDomainXmlHooks> {
  return qemuDomainXmlHooks(caps, { ...harnessConfig(dataRoot), ...CASE_CONFIG[name], ...extra });
}

/** How libvirt's harness names a data file in errors (it reads the file itself). */
export function harnessFileName(name: string): string {
  return `ABS_SRCDIR/qemuxmlconfdata/${name}.xml`;
}

function roundTrip(input: string, hooks: ReturnType<typeof qemuDomainXmlHooks>, fileName?: string): string {
  const def = parseDomainXml(input, { ...HARNESS, hooks, fileName, flags: { inactive: true } });
  return formatDomainXml(def, { secure: true, hooks });
}

export const suite: ConformanceSuite = {
  name: 'qemuxml2xml',
  folders: ['qemuxmlconfdata', 'qemucapabilitiesdata', 'qemufirmwaredata'],
  cases(dataRoot: string): ConformanceCase[] {
    const dir = join(dataRoot, 'qemuxmlconfdata');
    const caps = parseQemuCapsCache(readFileSync(join(dataRoot, CAPS_FILE), 'utf8'));
    const base = harnessConfig(dataRoot);
    const defaultHooks = qemuDomainXmlHooks(caps, base);
    return readdirSync(dir)
      .filter((f) => f.endsWith(SUFFIX))
      .sort()
      .map((f) => {
        const name = f.slice(0, -SUFFIX.length);
        return {
          name,
          run: () => {
            const config = CASE_CONFIG[name];
            const caseCaps = harnessCaps(caps, name);
            const hooks =
              config || caseCaps !== caps ? qemuDomainXmlHooks(caseCaps, { ...base, ...config }) : defaultHooks;
            const expected = readFileSync(join(dir, f), 'utf8');
            compareOutput(roundTrip(readFileSync(join(dir, `${name}.xml`), 'utf8'), hooks), expected);
            const again = roundTrip(expected, hooks);
            if (again !== expected)
              throw new Error(`expected output does not round-trip: ${firstLine(again, expected)}`);
          },
        };
      });
  },
};

function firstLine(actual: string, expected: string): string {
  try {
    compareOutput(actual, expected);
    return 'outputs differ';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * qemuxmlerrors: the cases qemuxmlconftest.c runs with FLAG_EXPECT_PARSE_ERROR (NAME.xml with a
 * NAME.x86_64-latest.err and no output XML): parsing must fail with libvirt's exact message.
 */
export const errorSuite: ConformanceSuite = {
  name: 'qemuxmlerrors',
  folders: ['qemuxmlconfdata', 'qemucapabilitiesdata', 'qemufirmwaredata'],
  cases(dataRoot: string): ConformanceCase[] {
    const dir = join(dataRoot, 'qemuxmlconfdata');
    const caps = parseQemuCapsCache(readFileSync(join(dataRoot, CAPS_FILE), 'utf8'));
    const hooks = qemuDomainXmlHooks(caps, harnessConfig(dataRoot));
    const ERR = '.x86_64-latest.err';
    return readdirSync(dir)
      .filter((f) => f.endsWith(ERR))
      .map((f) => f.slice(0, -ERR.length))
      .filter((name) => !existsSync(join(dir, `${name}${SUFFIX}`)) && existsSync(join(dir, `${name}.xml`)))
      .sort()
      .map((name) => ({
        name,
        run: () => {
          const want = readFileSync(join(dir, `${name}${ERR}`), 'utf8').trimEnd();
          try {
            const caseCaps = harnessCaps(caps, name);
            const caseHooks = caseCaps === caps ? hooks : harnessHooks(dataRoot, caseCaps, name);
            roundTrip(readFileSync(join(dir, `${name}.xml`), 'utf8'), caseHooks, harnessFileName(name));
          } catch (err) {
            if (!isVirError(err)) throw err;
            if (err.message !== want)
              throw new Error(`wrong error: expected ${JSON.stringify(want)}, got ${JSON.stringify(err.message)}`);
            return;
          }
          throw new Error(`parsing succeeded, libvirt refuses it: ${want.split('\n')[0]}`);
        },
      }));
  },
};
