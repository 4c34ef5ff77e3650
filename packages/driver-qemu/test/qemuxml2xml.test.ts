import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, formatDomainXml } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT, findSuites, runSuite } from '../../../tools/conformance/registry.js';
import { parseQemuCapsCache, parseQemuDomainXml, qemuDomainXmlHooks } from '../src/index.js';

/** libvirt's golden data: ../shared beside the checkout, or TSVIRT_CONFORMANCE_DATA. */
const dataRoot = process.env.TSVIRT_CONFORMANCE_DATA ?? DEFAULT_DATA_ROOT;
const present = existsSync(join(dataRoot, 'qemuxmlconfdata'));

/** Cases passing when these floors were set; the counts may only go up. */
const PASS_FLOORS: Record<string, number> = { qemuxml2xml: 583, qemuxmlerrors: 117 };

describe.skipIf(!present)('libvirt conformance: qemu domain XML', () => {
  for (const [name, floor] of Object.entries(PASS_FLOORS)) {
    it(`${name} keeps at least ${floor} cases passing`, async () => {
      const [suite] = findSuites([name]);
      const r = await runSuite(suite!, dataRoot);
      console.log(`${r.name}: ${r.passed} passed, ${r.failed.length} failed`);
      expect(r.skipped).toBeUndefined();
      expect(r.passed).toBeGreaterThanOrEqual(floor);
    });
  }
});

describe.skipIf(!present)('qemu domain preparation', () => {
  const caps = present
    ? parseQemuCapsCache(readFileSync(join(dataRoot, 'qemucapabilitiesdata', 'caps_10.0.0_x86_64.xml'), 'utf8'))
    : undefined;
  const minimal = (machine: string, devices = '') =>
    `<domain type='qemu'><name>g</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory>219136</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`;

  it('gives an i440fx guest its PIIX3 controllers, default CPU and balloon', () => {
    const def = parseQemuDomainXml(
      minimal('pc', "<disk type='file' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"),
      caps!,
    );
    expect(def.cpu?.model?.name).toBe('qemu64');
    const usb = def.devices.controllers.find((c) => c.type === 'usb');
    expect(usb?.model).toBe('piix3-uhci');
    expect(usb?.info.address).toMatchObject({ type: 'pci', bus: 0, slot: 1, function: 2 });
    // The disk is the first device after the chipset: slot 2; the balloon follows.
    expect(def.devices.disks[0]?.info.address).toMatchObject({ type: 'pci', bus: 0, slot: 2 });
    expect(def.devices.memballoon?.info.address).toMatchObject({ type: 'pci', bus: 0, slot: 3 });
  });

  it('adds pcie-root-ports on q35 for PCIe devices, plus one spare', () => {
    const def = parseQemuDomainXml(minimal('q35'), caps!);
    const ports = def.devices.controllers.filter((c) => c.model === 'pcie-root-port');
    expect(ports.map((p) => p.target?.port)).toEqual(['0x8', '0x9', '0xa']);
    expect(def.devices.memballoon?.info.address).toMatchObject({ bus: 2, slot: 0 });
  });

  it('keeps the qemu namespace under its canonical prefix', () => {
    const xml = minimal('pc').replace(
      '</domain>',
      "<ns0:commandline xmlns:ns0='http://libvirt.org/schemas/domain/qemu/1.0'><ns0:arg value='-S'/></ns0:commandline></domain>",
    );
    const hooks = qemuDomainXmlHooks(caps!);
    const out = formatDomainXml(parseQemuDomainXml(xml, caps!), { hooks });
    expect(out).toContain("xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'");
    expect(out).toContain("<qemu:arg value='-S'/>");
  });

  it('refuses a primary IDE controller away from 0:0:1.1', () => {
    const ide =
      "<controller type='ide' index='0'><address type='pci' domain='0' bus='0' slot='5' function='0'/></controller>";
    let err: unknown;
    try {
      parseQemuDomainXml(minimal('pc', ide), caps!);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL_ERROR, message: expect.stringContaining('0:0:1.1') });
  });
});
