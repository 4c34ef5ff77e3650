/** Shared bits of the domain XML tests: fixed randomness and an xmllint runner. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ErrorDomain } from '../../../src/errors/codes.js';
import { isVirError } from '../../../src/errors/vir-error.js';
import { parseDomainXml } from '../../../src/xml/domain/index.js';

/** ../shared beside the checkout, where CI keeps libvirt's golden data and schemas. */
export const SHARED = fileURLToPath(new URL('../../../../../../shared', import.meta.url));
export const DOMAIN_RNG = join(SHARED, 'schemas', 'domain.rng');
export const haveSchema = existsSync(DOMAIN_RNG) && spawnSync('xmllint', ['--version']).status === 0;

/** Zero bytes, as libvirt's virrandom mock gives: generated MACs are 52:54:00:00:00:00. */
export const zeroRandom = (n: number) => new Uint8Array(n);

/** Validate XML text against domain.rng; returns xmllint's complaint, or '' when valid. */
export function schemaErrors(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-domain-test-'));
  try {
    const file = join(dir, 'domain.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--relaxng', DOMAIN_RNG, file], { encoding: 'utf8' });
    return r.status === 0 ? '' : `${r.stderr}${r.stdout}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const MINIMAL = `<domain type='kvm'>
  <name>vm1</name>
  <memory unit='MiB'>512</memory>
  <os>
    <type>hvm</type>
  </os>
</domain>
`;

/** A richer domain in libvirt's canonical form: parsing and formatting must give it back unchanged. */
export const RICH_DOMAIN = `<domain type='kvm'>
  <name>rich</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <title>A guest</title>
  <description>It&apos;s &quot;described&quot; &amp; more</description>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <memtune>
    <hard_limit unit='KiB'>4194304</hard_limit>
  </memtune>
  <memoryBacking>
    <hugepages>
      <page size='2048' unit='KiB'/>
    </hugepages>
    <locked/>
  </memoryBacking>
  <vcpu placement='static' cpuset='0-3' current='2'>4</vcpu>
  <iothreads>2</iothreads>
  <cputune>
    <shares>2048</shares>
    <vcpupin vcpu='0' cpuset='1'/>
    <emulatorpin cpuset='0'/>
  </cputune>
  <numatune>
    <memory mode='strict' nodeset='0'/>
  </numatune>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/rich_VARS.fd</nvram>
    <boot dev='cdrom'/>
    <boot dev='hd'/>
    <bootmenu enable='yes' timeout='3000'/>
  </os>
  <features>
    <acpi/>
    <apic/>
    <vmport state='off'/>
    <smm state='on'/>
  </features>
  <cpu mode='host-passthrough' check='none' migratable='on'>
    <topology sockets='1' dies='1' clusters='1' cores='2' threads='2'/>
  </cpu>
  <clock offset='utc'>
    <timer name='rtc' tickpolicy='catchup'/>
    <timer name='pit' tickpolicy='delay'/>
    <timer name='hpet' present='no'/>
  </clock>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>coredump-restart</on_crash>
  <pm>
    <suspend-to-mem enabled='no'/>
    <suspend-to-disk enabled='no'/>
  </pm>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none' discard='unmap'/>
      <source file='/var/lib/libvirt/images/rich.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <serial>abc123</serial>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <controller type='usb' index='0' model='qemu-xhci' ports='15'/>
    <controller type='sata' index='0'/>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='virtio-serial' index='0'/>
    <interface type='network'>
      <mac address='52:54:00:6b:3c:58'/>
      <source network='default'/>
      <model type='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <serial type='pty'>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <channel type='unix'>
      <source mode='bind' path='/run/rich.agent'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/>
    </channel>
    <input type='tablet' bus='usb'>
      <address type='usb' bus='0' port='1'/>
    </input>
    <input type='mouse' bus='ps2'/>
    <input type='keyboard' bus='ps2'/>
    <graphics type='spice' autoport='yes'>
      <listen type='address'/>
      <image compression='off'/>
    </graphics>
    <sound model='ich9'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x1b' function='0x0'/>
    </sound>
    <video>
      <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </video>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
    </memballoon>
    <rng model='virtio'>
      <backend model='random'>/dev/urandom</backend>
      <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>
    </rng>
  </devices>
  <seclabel type='dynamic' model='selinux' relabel='yes'/>
</domain>
`;

/** The VirError parsing `xml` fails with (the test fails when it parses). */
export function parseFailure(xml: string): { code: number; domain: number; message: string } {
  try {
    parseDomainXml(xml);
  } catch (err) {
    if (!isVirError(err)) throw err;
    return { code: err.code, domain: err.domain, message: err.message };
  }
  throw new Error('expected the parse to fail');
}

/** MINIMAL with these devices. */
export const withDevices = (inner: string) => MINIMAL.replace('</os>', `</os><devices>${inner}</devices>`);

/** One test per [what, xml, code, message]: the parse fails with exactly that domain error. */
export function itRejects(cases: ReadonlyArray<readonly [string, string, number, string]>): void {
  for (const [what, xml, code, message] of cases) {
    it(`rejects ${what}`, () => {
      const f = parseFailure(xml);
      expect(f.message).toBe(message);
      expect(f.code).toBe(code);
      expect(f.domain).toBe(ErrorDomain.DOMAIN);
    });
  }
}
