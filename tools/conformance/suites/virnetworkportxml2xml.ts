/**
 * virnetworkportxml2xml: libvirt's network port XML round trip (tests/virnetworkportxml2xmltest.c).
 * Each virnetworkportxml2xmldata/NAME.xml is parsed, formatted and compared with itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNetworkPortXml, parseNetworkPortXml } from '../../../packages/core/src/xml/networkport/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

const FOLDER = 'virnetworkportxml2xmldata';

function runCase(root: string, name: string): void {
  const text = readFileSync(join(root, FOLDER, `${name}.xml`), 'utf8');
  compareOutput(formatNetworkPortXml(parseNetworkPortXml(text)), text);
}

export const suite: ConformanceSuite = {
  name: 'virnetworkportxml2xml',
  folders: [FOLDER],
  cases(root: string): ConformanceCase[] {
    return readdirSync(join(root, FOLDER))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => f.slice(0, -4))
      .map((name) => ({ name, run: () => runCase(root, name) }));
  },
};
