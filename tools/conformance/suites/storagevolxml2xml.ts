/**
 * storagevolxml2xml: libvirt's storage volume XML round trip (tests/storagevolxml2xmltest.c).
 * Each volume is parsed in the context of a pool (storagepoolxml2xmlin/POOL.xml), formatted
 * and compared with storagevolxml2xmlout/NAME.xml. The case list and pool of each volume are
 * the test program's; other files in the folders belong to other programs (storagevolxml2argv)
 * or are stale (vol-qcow2-nocow's output is not checked by libvirt).
 *
 * The golden data set lacks some pool files (pool-dir, pool-gluster). The volume parser only
 * reads the pool's type, so a missing POOL-TYPE file is replaced by a pool of that type.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatStorageVolXml,
  type ParseStorageVolOptions,
  parseStoragePoolXml,
  parseStorageVolXml,
  type StoragePoolDef,
} from '../../../packages/core/src/xml/storage/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

/** [pool, volume, parse flags] as storagevolxml2xmltest.c lists them. */
const CASES: ReadonlyArray<readonly [string, string, ParseStorageVolOptions?]> = [
  ['pool-dir', 'vol-file'],
  ['pool-dir', 'vol-file-naming'],
  ['pool-dir', 'vol-file-backing'],
  ['pool-dir', 'vol-file-iso'],
  ['pool-dir', 'vol-qcow2'],
  ['pool-dir', 'vol-qcow2-1.1'],
  ['pool-dir', 'vol-qcow2-lazy'],
  ['pool-dir', 'vol-qcow2-0.10-lazy'],
  ['pool-dir', 'vol-qcow2-nobacking'],
  ['pool-dir', 'vol-qcow2-encryption'],
  ['pool-dir', 'vol-qcow2-luks'],
  ['pool-dir', 'vol-qcow2-clusterSize'],
  ['pool-dir', 'vol-luks'],
  ['pool-dir', 'vol-luks-cipher'],
  ['pool-disk', 'vol-partition'],
  ['pool-logical', 'vol-logical'],
  ['pool-logical', 'vol-logical-backing'],
  ['pool-sheepdog', 'vol-sheepdog'],
  ['pool-gluster', 'vol-gluster-dir'],
  ['pool-gluster', 'vol-gluster-dir-neg-uid'],
  ['pool-dir', 'vol-qcow2-nocapacity', { noCapacity: true }],
];

function loadPool(root: string, pool: string): Pick<StoragePoolDef, 'type'> {
  const file = join(root, 'storagepoolxml2xmlin', `${pool}.xml`);
  if (existsSync(file)) return parseStoragePoolXml(readFileSync(file, 'utf8'));
  return { type: pool.slice('pool-'.length) as StoragePoolDef['type'] };
}

function runCase(root: string, pool: string, name: string, flags: ParseStorageVolOptions = {}): void {
  const poolDef = loadPool(root, pool);
  const vol = parseStorageVolXml(
    readFileSync(join(root, 'storagevolxml2xmlin', `${name}.xml`), 'utf8'),
    poolDef,
    flags,
  );
  compareOutput(
    formatStorageVolXml(vol, poolDef),
    readFileSync(join(root, 'storagevolxml2xmlout', `${name}.xml`), 'utf8'),
  );
}

export const suite: ConformanceSuite = {
  name: 'storagevolxml2xml',
  folders: ['storagevolxml2xmlin', 'storagevolxml2xmlout'],
  cases(root: string): ConformanceCase[] {
    return CASES.filter(
      ([, name]) =>
        existsSync(join(root, 'storagevolxml2xmlin', `${name}.xml`)) &&
        existsSync(join(root, 'storagevolxml2xmlout', `${name}.xml`)),
    ).map(([pool, name, flags]) => ({ name, run: () => runCase(root, pool, name, flags) }));
  },
};
