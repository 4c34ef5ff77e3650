/**
 * storagepoolxml2xml: libvirt's storage pool XML round trip (tests/storagepoolxml2xmltest.c).
 * storagepoolxml2xmlin/NAME.xml is parsed and formatted; the result must equal
 * storagepoolxml2xmlout/NAME.xml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatStoragePoolXml, parseStoragePoolXml } from '../../../packages/core/src/xml/storage/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

function runCase(root: string, name: string): void {
  const def = parseStoragePoolXml(readFileSync(join(root, 'storagepoolxml2xmlin', `${name}.xml`), 'utf8'));
  compareOutput(formatStoragePoolXml(def), readFileSync(join(root, 'storagepoolxml2xmlout', `${name}.xml`), 'utf8'));
}

export const suite: ConformanceSuite = {
  name: 'storagepoolxml2xml',
  folders: ['storagepoolxml2xmlin', 'storagepoolxml2xmlout'],
  cases(root: string): ConformanceCase[] {
    const outs = new Set(readdirSync(join(root, 'storagepoolxml2xmlout')));
    return readdirSync(join(root, 'storagepoolxml2xmlin'))
      .filter((f) => f.endsWith('.xml') && outs.has(f))
      .sort()
      .map((f) => f.slice(0, -4))
      .map((name) => ({ name, run: () => runCase(root, name) }));
  },
};
