/**
 * <networkport> XML: libvirt's golden round trip (virnetworkportxml2xmldata), what we format
 * checked against libvirt's networkport.rng with xmllint, and the reader's refusals with
 * libvirt's messages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNetworkPortXml, parseNetworkPortXml, VirError } from '@tsvirt/core';
import { afterAll, describe, expect, it } from 'vitest';

/** ../shared beside the checkout, or the folder TSVIRT_SHARED names (a worktree elsewhere). */
const SHARED = process.env.TSVIRT_SHARED ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const DATA = join(SHARED, 'conformance', 'libvirt', 'virnetworkportxml2xmldata');
const SCHEMA = join(SHARED, 'schemas', 'networkport.rng');
const haveData = existsSync(DATA);
const haveXmllint = spawnSync('xmllint', ['--version']).status === 0 && existsSync(SCHEMA);
const cases = haveData
  ? readdirSync(DATA)
      .filter((f) => f.endsWith('.xml'))
      .sort()
  : [];
const tmp = mkdtempSync(join(tmpdir(), 'tsvirt-portxml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PORT = (body: string) => `<networkport>${body}</networkport>`;
const UUID = '<uuid>5d744f21-ba4a-4d6e-bdb2-30a35ff3207d</uuid>';
const OWNER = '<owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>';
const MAC = "<mac address='52:54:00:7b:35:93'/>";

function refusal(xml: string): string {
  try {
    parseNetworkPortXml(xml);
  } catch (err) {
    if (err instanceof VirError) return `${err.code} ${err.message}`;
    throw err;
  }
  throw new Error('accepted');
}

describe.skipIf(!haveData)('network port XML (libvirt golden data)', () => {
  it.each(cases)('%s formats back byte for byte', (file) => {
    const text = readFileSync(join(DATA, file), 'utf8');
    expect(formatNetworkPortXml(parseNetworkPortXml(text))).toBe(text);
  });
  it.skipIf(!haveXmllint).each(cases)('%s as formatted validates against networkport.rng', (file) => {
    const out = join(tmp, file);
    writeFileSync(out, formatNetworkPortXml(parseNetworkPortXml(readFileSync(join(DATA, file), 'utf8'))));
    const r = spawnSync('xmllint', ['--noout', '--relaxng', SCHEMA, out], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe(`${out} validates`);
  });
});

describe('network port XML refusals', () => {
  it('gives libvirt messages for missing or bad fields', () => {
    expect(refusal(PORT(OWNER + MAC))).toBe('1 internal error: network port has no uuid');
    expect(refusal(PORT(`<uuid>nope</uuid>${OWNER}${MAC}`))).toBe("1 internal error: Unable to parse UUID 'nope'");
    expect(refusal(PORT(UUID + MAC))).toBe('1 internal error: network port has no owner name');
    expect(refusal(PORT(`${UUID}<owner><name>x</name></owner>${MAC}`))).toBe(
      '1 internal error: network port has no owner UUID',
    );
    expect(refusal(PORT(UUID + OWNER))).toBe('1 internal error: network port has no mac');
    expect(refusal(PORT(`${UUID}${OWNER}<mac address='zz'/>`))).toBe("1 internal error: Unable to parse MAC 'zz'");
    expect(refusal(PORT(`${UUID}${OWNER}${MAC}<plug type='bridge'/>`))).toBe(
      '27 XML error: Missing network port bridge name',
    );
    expect(refusal(PORT(`${UUID}${OWNER}${MAC}<plug type='direct' dev='eth0' mode='fast'/>`))).toBe(
      "27 XML error: Invalid mode setting 'fast' in network port",
    );
    expect(refusal(PORT(`${UUID}${OWNER}${MAC}<plug type='hostdev-pci'/>`))).toBe(
      '27 XML error: Missing network port PCI address',
    );
    expect(refusal('<network/>')).toBe('27 XML error: unknown root element for network port');
  });
  it('keeps a floor, which only plugging can refuse', () => {
    const def = parseNetworkPortXml(PORT(`${UUID}${OWNER}${MAC}<bandwidth><inbound floor='100'/></bandwidth>`));
    expect(def.bandwidth).toEqual({ inbound: { floor: 100 } });
  });
});
