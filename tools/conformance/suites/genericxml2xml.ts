/**
 * genericxml2xml: libvirt's generic domain XML round trip (tests/genericxml2xmltest.c).
 * NAME.xml from genericxml2xmlindata is parsed without driver hooks and formatted with
 * VIR_DOMAIN_XML_SECURE; the result must equal genericxml2xmloutdata/NAME.xml, or the input
 * itself when there is no out file. Cases libvirt expects to fail must fail to parse.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVirError } from '../../../packages/core/src/errors/index.js';
import { formatDomainXml, parseDomainXml } from '../../../packages/core/src/xml/domain/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';

/**
 * The cases genericxml2xmltest.c runs with DO_TEST_FAIL_ACTIVE / DO_TEST_FAIL_INACTIVE:
 * parsing must fail, as a live ('active') or a persistent ('inactive') definition.
 */
const EXPECTED_PARSE_FAILURES: Record<string, 'active' | 'inactive'> = {
  'graphics-listen-back-compat-mismatch': 'active',
  'graphics-vnc-socket-attr-listen-socket-mismatch': 'active',
  'graphics-listen-network-invalid': 'inactive',
  'name-slash-fail': 'active',
  'chardev-tcp-missing-host': 'active',
  'chardev-tcp-missing-service': 'active',
  'chardev-tcp-multiple-source': 'active',
  'chardev-udp-missing-connect-service': 'active',
  'chardev-udp-multiple-source': 'active',
  'chardev-unix-smartcard-missing-path': 'active',
  'chardev-unix-redirdev-missing-path': 'active',
  'chardev-unix-rng-missing-path': 'active',
  'chardev-reconnect-missing-timeout': 'active',
  'chardev-reconnect-invalid-mode': 'active',
  'cachetune-colliding-allocs': 'inactive',
  'cachetune-colliding-tunes': 'inactive',
  'cachetune-colliding-types': 'inactive',
  'cachetune-colliding-monitor': 'inactive',
  'memorytune-colliding-allocs': 'inactive',
  'memorytune-colliding-cachetune': 'inactive',
};

/** The harness's fake host: x86_64 (virTestGenericCapsInit) and the virrandom mock's zero bytes. */
const HARNESS = {
  defaultArch: 'x86_64',
  randomBytes: (n: number) => new Uint8Array(n),
};

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i])
      return `line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<end>')}, got ${JSON.stringify(a[i] ?? '<end>')}`;
  }
  return 'outputs differ';
}

function runCase(dataRoot: string, name: string): void {
  const input = readFileSync(join(dataRoot, 'genericxml2xmlindata', `${name}.xml`), 'utf8');
  const failAs = EXPECTED_PARSE_FAILURES[name];
  if (failAs) {
    try {
      parseDomainXml(input, { ...HARNESS, flags: { inactive: failAs === 'inactive' } });
    } catch (err) {
      if (isVirError(err)) return;
      throw err;
    }
    throw new Error('parsing succeeded but libvirt rejects this input');
  }
  const outFile = join(dataRoot, 'genericxml2xmloutdata', `${name}.xml`);
  const expected = existsSync(outFile) ? readFileSync(outFile, 'utf8') : input;
  // DO_TEST / DO_TEST_DIFFERENT parse as a live definition and format with SECURE only.
  const def = parseDomainXml(input, HARNESS);
  const actual = formatDomainXml(def, { secure: true });
  if (actual !== expected) throw new Error(firstDifference(actual, expected));
}

export const suite: ConformanceSuite = {
  name: 'genericxml2xml',
  folders: ['genericxml2xmlindata', 'genericxml2xmloutdata'],
  cases(dataRoot: string): ConformanceCase[] {
    return readdirSync(join(dataRoot, 'genericxml2xmlindata'))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -4);
        return { name, run: () => runCase(dataRoot, name) };
      });
  },
};
