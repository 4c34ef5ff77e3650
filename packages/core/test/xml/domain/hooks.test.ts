import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { VirError } from '../../../src/errors/vir-error.js';
import { childElements, el, textOf } from '../../../src/xml/adapter.js';
import {
  type DomainXmlHooks,
  formatDomainXml,
  parseDomainXml,
  validateDomainDef,
} from '../../../src/xml/domain/index.js';
import { MINIMAL } from './helpers.js';

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

const qemuHooks: DomainXmlHooks = {
  postParse(def) {
    def.os.machine ??= 'pc-i440fx-7.2';
  },
  assignAddresses(def) {
    let slot = 2;
    for (const disk of def.devices.disks) {
      if (disk.target.bus === 'virtio' && !disk.info.address) {
        disk.info.address = { type: 'pci', domain: 0, bus: 0, slot: slot++, function: 0 };
      }
    }
  },
  validate(def) {
    if (def.vcpu.count > 4)
      throw new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, detail: 'too many vCPUs for this test' });
  },
  namespace: {
    prefix: 'qemu',
    uri: QEMU_NS,
    parse(elements) {
      const args: string[] = [];
      for (const e of elements)
        if (e.name.endsWith(':commandline')) for (const a of childElements(e)) args.push(a.attrs.value ?? textOf(a));
      return args.length ? args : undefined;
    },
    format(data) {
      return [
        el(
          'qemu:commandline',
          [],
          (data as string[]).map((v) => el('qemu:arg', [['value', v]])),
        ),
      ];
    },
  },
};

describe('driver hooks', () => {
  const xml = MINIMAL.replace("<domain type='kvm'>", `<domain type='kvm' xmlns:q='${QEMU_NS}'>`).replace(
    '</os>',
    "</os><devices><disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/></disk></devices><q:commandline><q:arg value='-s'/></q:commandline>",
  );

  it('run post-parse, address assignment and the namespace parser', () => {
    const def = parseDomainXml(xml, { hooks: qemuHooks });
    expect(def.os.machine).toBe('pc-i440fx-7.2');
    expect(def.devices.disks[0]!.info.address).toEqual({ type: 'pci', domain: 0, bus: 0, slot: 2, function: 0 });
    expect(def.namespaceData).toEqual({ uri: QEMU_NS, prefix: 'qemu', data: ['-s'] });
    const out = formatDomainXml(def, { hooks: qemuHooks });
    expect(out).toContain(`<domain type='kvm' xmlns:qemu='${QEMU_NS}'>`);
    expect(out).toContain("  <qemu:commandline>\n    <qemu:arg value='-s'/>\n  </qemu:commandline>\n</domain>\n");
  });

  it('ignore foreign namespaces without a hook, as libvirt does', () => {
    const out = formatDomainXml(parseDomainXml(xml));
    expect(out).not.toContain('commandline');
    expect(out).not.toContain('xmlns');
  });

  it("apply the driver's validation after the generic checks", () => {
    const big = xml.replace('<os>', '<vcpu>8</vcpu><os>');
    expect(() => parseDomainXml(big, { hooks: qemuHooks })).toThrow(
      'unsupported configuration: too many vCPUs for this test',
    );
    const def = parseDomainXml(big);
    expect(() => validateDomainDef(def, { hooks: qemuHooks })).toThrow(/too many vCPUs/);
    expect(() => validateDomainDef(def)).not.toThrow();
  });
});
