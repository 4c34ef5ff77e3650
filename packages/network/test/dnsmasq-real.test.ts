/**
 * Every dnsmasq configuration of libvirt's golden data, as this package generates it, passes the
 * real dnsmasq's own syntax check (`dnsmasq --test`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNetworkXml } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT } from '../../../tools/conformance/registry.js';
import { buildDnsmasqConfig } from '../src/index.js';

const DIR = join(process.env.TSVIRT_CONFORMANCE_DATA ?? DEFAULT_DATA_ROOT, 'networkxml2confdata');
const CASES = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.xml')) : [];
const HAVE_DNSMASQ = spawnSync('dnsmasq', ['--version']).status === 0;
const skip = !HAVE_DNSMASQ
  ? 'dnsmasq is not installed (scripts/setup.sh installs dnsmasq-base)'
  : CASES.length === 0
    ? `no golden data at ${DIR}`
    : undefined;

describe.skipIf(skip !== undefined)('generated dnsmasq configs pass dnsmasq --test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-dnsmasq-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const file of CASES) {
    it(file, () => {
      const def = parseNetworkXml(readFileSync(join(DIR, file), 'utf8'));
      const files = buildDnsmasqConfig(def, { stateDir: dir, pidFile: join(dir, 'x.pid') });
      const conf = join(dir, `${file}.conf`);
      writeFileSync(conf, files.config);
      const r = spawnSync('dnsmasq', ['--test', `--conf-file=${conf}`], { encoding: 'utf8' });
      expect(r.stderr.trim()).toBe('dnsmasq: syntax check OK.');
      expect(r.status).toBe(0);
    });
  }
});

describe.skipIf(skip === undefined)('generated dnsmasq configs pass dnsmasq --test', () => {
  it.skip(`skipped: ${skip}`, () => {});
});
