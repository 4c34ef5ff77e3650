import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { describe, expect, it } from 'vitest';
import { formatQemuDomainCapabilities, parseQemuCapsCache, type QemuCaps, qemuGuestCaps } from '../src/index.js';
import { CAPS_DATA, HAVE_CAPS_DATA, SHARED } from './helpers/shared.js';

const SCHEMA = join(SHARED, 'schemas', 'domaincaps.rng');
const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0 && existsSync(SCHEMA);

function validate(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-domcaps-'));
  try {
    const file = join(dir, 'domcaps.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--relaxng', SCHEMA, file], { encoding: 'utf8' });
    return r.status === 0 ? 'valid' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** QEMU 10.0's capabilities as libvirt 11.3 recorded them (KVM and TCG). */
describe.skipIf(!HAVE_CAPS_DATA)('domain capabilities and guest entries from QEMU 10.0 data', () => {
  const caps: QemuCaps = HAVE_CAPS_DATA
    ? parseQemuCapsCache(readFileSync(join(CAPS_DATA, 'caps_10.0.0_x86_64.xml'), 'utf8'))
    : (undefined as never);

  it('describes a KVM domain on the preferred machine', () => {
    const xml = formatQemuDomainCapabilities(caps, { swtpm: false, vfio: false });
    expect(xml).toContain('<domain>kvm</domain>');
    expect(xml).toContain('<machine>pc-i440fx-10.0</machine>');
    expect(xml).toContain("<vcpu max='255'/>");
    expect(xml).toContain(
      "<mode name='host-passthrough' supported='yes'>\n      <enum name='hostPassthroughMigratable'>\n        <value>on</value>\n        <value>off</value>",
    );
    expect(xml).toContain('<value>virtiofs</value>');
    expect(xml).toContain("<hyperv supported='yes'>");
    expect(xml.match(/<value>(relaxed|xmm_input)<\/value>/g)).toEqual([
      '<value>relaxed</value>',
      '<value>xmm_input</value>',
    ]);
    if (HAVE_XMLLINT) expect(validate(xml)).toBe('valid');
  });

  it('describes a TCG domain on q35 (no IDE, no host-passthrough)', () => {
    const xml = formatQemuDomainCapabilities(caps, { virtType: 'qemu', machine: 'q35' });
    expect(xml).toContain('<machine>pc-q35-10.0</machine>');
    expect(xml).toContain("<vcpu max='4096'/>");
    expect(xml).toContain("<mode name='host-passthrough' supported='no'/>");
    expect(xml).not.toContain('<value>ide</value>');
    if (HAVE_XMLLINT) expect(validate(xml)).toBe('valid');
  });

  it("refuses an unknown machine or an accelerator the binary lacks, in libvirt's words", async () => {
    await expectVirError(
      Promise.resolve().then(() => formatQemuDomainCapabilities(caps, { machine: 'nope' })),
      ErrorCode.INVALID_ARG,
      "invalid argument: the machine 'nope' is not supported by emulator '/usr/bin/qemu-system-x86_64'",
    );
    const tcgOnly: QemuCaps = { ...caps, flags: new Set([...caps.flags].filter((f) => f !== 'kvm')) };
    await expectVirError(
      Promise.resolve().then(() => formatQemuDomainCapabilities(tcgOnly, { virtType: 'kvm' })),
      ErrorCode.INVALID_ARG,
      "invalid argument: the accel 'kvm' is not supported by '/usr/bin/qemu-system-x86_64' on this host",
    );
  });

  it('lists aliases with their canonical machines in the <guest> entry', () => {
    const guest = qemuGuestCaps(caps);
    expect(guest.arch.machines.slice(0, 2)).toEqual([
      { name: 'pc-i440fx-10.0', maxCpus: 255 },
      { name: 'pc', canonical: 'pc-i440fx-10.0', maxCpus: 255 },
    ]);
    expect(guest.arch.domains.map((d) => d.type)).toEqual(['qemu', 'kvm']);
    expect(guest.arch.wordsize).toBe(64);
    expect(qemuGuestCaps(caps, 'i686').features?.slice(0, 2)).toEqual([{ name: 'pae' }, { name: 'nonpae' }]);
  });
});
