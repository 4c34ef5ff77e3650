/**
 * networkxml2conf: the dnsmasq configuration libvirt writes for a network
 * (tests/networkxml2conftest.c). networkxml2confdata/NAME.xml is parsed (no driver validation,
 * as in libvirt's harness) and the generated config is compared with NAME.conf, the
 * dhcp-hostsfile with NAME.hostsfile (which must be empty when that file is absent). Paths are
 * libvirt's: files under /var/lib/libvirt/dnsmasq, no pid-file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetworkXml } from '../../../packages/core/src/xml/network/index.js';
import { buildDnsmasqConfig } from '../../../packages/network/src/dnsmasq/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

const FOLDER = 'networkxml2confdata';
const LIBVIRT_PATHS = { stateDir: '/var/lib/libvirt/dnsmasq' };

function runCase(dir: string, name: string): void {
  const def = parseNetworkXml(readFileSync(join(dir, `${name}.xml`), 'utf8'));
  const files = buildDnsmasqConfig(def, LIBVIRT_PATHS);
  compareOutput(files.config, readFileSync(join(dir, `${name}.conf`), 'utf8'));
  const hostsfile = join(dir, `${name}.hostsfile`);
  if (existsSync(hostsfile)) {
    try {
      compareOutput(files.hostsfile, readFileSync(hostsfile, 'utf8'));
    } catch (err) {
      throw new Error(`hostsfile: ${(err as Error).message}`);
    }
  } else if (files.hostsfile !== '') {
    throw new Error(`hostsfile: expected none, got ${JSON.stringify(files.hostsfile)}`);
  }
}

export const suite: ConformanceSuite = {
  name: 'networkxml2conf',
  folders: [FOLDER],
  cases(root: string): ConformanceCase[] {
    const dir = join(root, FOLDER);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => f.slice(0, -4))
      .map((name) => ({ name, run: () => runCase(dir, name) }));
  },
};
