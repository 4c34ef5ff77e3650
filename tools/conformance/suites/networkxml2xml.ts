/**
 * networkxml2xml: libvirt's network XML round trip (tests/networkxml2xmltest.c).
 * networkxml2xmlin/NAME.xml is parsed, validated as the network driver does, formatted and
 * compared with networkxml2xmlout/NAME.xml. The harness's expected failures (parse or
 * validate) pass when that step fails; one case formats with VIR_NETWORK_XML_INACTIVE.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNetworkXml, parseNetworkXml, validateNetworkDef } from '../../../packages/core/src/xml/network/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput, expectVirError } from './xml2xml-common.js';

type Expect = 'parse-error' | 'validate-error' | 'inactive';

/** The cases networkxml2xmltest.c runs with DO_TEST_PARSE_ERROR, DO_TEST_VALIDATE_ERROR or flags. */
const EXPECT: Record<string, Expect> = {
  'routed-network-no-dns-extra-elements': 'parse-error',
  'open-network-with-forward-dev': 'parse-error',
  'hostdev-duplicate': 'parse-error',
  'passthrough-duplicate': 'parse-error',
  'passthrough-pf': 'validate-error',
  'passthrough-address-crash': 'validate-error',
  'hostdev-pf': 'inactive',
  'hostdev-pf-driver-model': 'inactive',
};

function runCase(root: string, name: string): void {
  const input = readFileSync(join(root, 'networkxml2xmlin', `${name}.xml`), 'utf8');
  const expect = EXPECT[name];
  if (expect === 'parse-error') {
    expectVirError(() => parseNetworkXml(input), 'parsing');
    return;
  }
  const def = parseNetworkXml(input);
  if (expect === 'validate-error') {
    expectVirError(() => validateNetworkDef(def), 'validation');
    return;
  }
  validateNetworkDef(def);
  const actual = formatNetworkXml(def, { inactive: expect === 'inactive' });
  compareOutput(actual, readFileSync(join(root, 'networkxml2xmlout', `${name}.xml`), 'utf8'));
}

export const suite: ConformanceSuite = {
  name: 'networkxml2xml',
  folders: ['networkxml2xmlin', 'networkxml2xmlout'],
  cases(root: string): ConformanceCase[] {
    return readdirSync(join(root, 'networkxml2xmlin'))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => f.slice(0, -4))
      .map((name) => ({ name, run: () => runCase(root, name) }));
  },
};
