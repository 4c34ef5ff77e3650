/**
 * The <qemuCaps> document: how probed capabilities are cached on disk (and the form libvirt's
 * own test data keeps them in). Reading it back lets a second start skip the QMP probe while
 * the binary's ctime is unchanged.
 */
import {
  childElements,
  childText,
  ErrorCode,
  ErrorDomain,
  firstChild,
  parseXml,
  VirError,
  type XmlElement,
  XmlWriter,
  xmlAttr,
  xmlYesNo,
} from '@tsvirt/core';
import {
  type CpuUsability,
  QEMU_ACCELS,
  type QemuAccel,
  type QemuAccelCaps,
  type QemuCaps,
  type QemuCpuModelCaps,
  type QemuCpuProperty,
  type QemuHostCpuCaps,
  type QemuMachineCaps,
} from './qemu-caps.js';

function invalid(what: string): VirError {
  return new VirError({
    code: ErrorCode.INTERNAL_ERROR,
    domain: ErrorDomain.QEMU,
    detail: `invalid QEMU capabilities cache: ${what}`,
  });
}

function numberText(root: XmlElement, name: string, required: boolean): number | undefined {
  const text = childText(root, name);
  if (text === undefined) {
    if (required) throw invalid(`missing <${name}>`);
    return undefined;
  }
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`<${name}> is not a number`);
  return value;
}

const yes = (v: string | undefined): boolean => v === 'yes';

function accelOf(el: XmlElement): QemuAccel {
  const type = el.attrs.type ?? 'kvm';
  if (!(QEMU_ACCELS as readonly string[]).includes(type)) throw invalid(`unknown accelerator '${type}'`);
  return type as QemuAccel;
}

function parseProperty(el: XmlElement): QemuCpuProperty {
  const { name, type, value } = el.attrs;
  if (!name || (type !== 'boolean' && type !== 'number' && type !== 'string') || value === undefined) {
    throw invalid('bad host CPU <property>');
  }
  return { name, type, value, ...(el.attrs.migratable ? { migratable: yes(el.attrs.migratable) } : {}) };
}

function parseHostCpu(el: XmlElement): QemuHostCpuCaps {
  return {
    model: el.attrs.model ?? '',
    migratability: yes(el.attrs.migratability),
    props: childElements(el, 'property').map(parseProperty),
  };
}

function parseCpuModel(el: XmlElement): QemuCpuModelCaps {
  const name = el.attrs.name;
  if (!name) throw invalid('<cpu> without a name');
  const usable = (el.attrs.usable ?? 'unknown') as CpuUsability;
  return {
    name,
    ...(el.attrs.typename ? { typename: el.attrs.typename } : {}),
    usable: usable === 'yes' || usable === 'no' ? usable : 'unknown',
    blockers: childElements(el, 'blocker').map((b) => b.attrs.name ?? ''),
    deprecated: yes(el.attrs.deprecated),
  };
}

function parseMachine(el: XmlElement): QemuMachineCaps {
  const a = el.attrs;
  if (!a.name) throw invalid('<machine> without a name');
  return {
    name: a.name,
    ...(a.alias ? { alias: a.alias } : {}),
    hotplugCpus: yes(a.hotplugCpus),
    maxCpus: Number(a.maxCpus ?? 0),
    isDefault: yes(a.default),
    ...(a.defaultCPU ? { defaultCpu: a.defaultCPU } : {}),
    numaMemSupported: yes(a.numaMemSupported),
    ...(a.defaultRAMid ? { defaultRamId: a.defaultRAMid } : {}),
    deprecated: yes(a.deprecated),
    ...(a.acpi ? { acpi: yes(a.acpi) } : {}),
  };
}

export function parseQemuCapsCache(text: string): QemuCaps {
  const root = parseXml(text, { documentName: 'qemucaps', domain: ErrorDomain.QEMU });
  if (root.name !== 'qemuCaps') throw invalid(`unexpected root element <${root.name}>`);
  const accels: Record<
    QemuAccel,
    { hostCpu?: QemuHostCpuCaps; cpuModels: QemuCpuModelCaps[]; machines: QemuMachineCaps[] }
  > = {
    kvm: { cpuModels: [], machines: [] },
    tcg: { cpuModels: [], machines: [] },
  };
  for (const el of childElements(root, 'hostCPU')) accels[accelOf(el)].hostCpu = parseHostCpu(el);
  for (const el of childElements(root, 'cpu')) accels[accelOf(el)].cpuModels.push(parseCpuModel(el));
  for (const el of childElements(root, 'machine')) accels[accelOf(el)].machines.push(parseMachine(el));
  const hyperv = firstChild(root, 'hypervCapabilities');
  const kvmVersion = numberText(root, 'kvmVersion', false);
  const microcodeVersion = numberText(root, 'microcodeVersion', false);
  return {
    emulator: childText(root, 'emulator') ?? '',
    qemuCtime: numberText(root, 'qemuctime', false) ?? 0,
    selfCtime: numberText(root, 'selfctime', false) ?? 0,
    selfVers: numberText(root, 'selfvers', false) ?? 0,
    flags: new Set(childElements(root, 'flag').map((f) => f.attrs.name ?? '')),
    version: numberText(root, 'version', true) ?? 0,
    ...(kvmVersion !== undefined ? { kvmVersion } : {}),
    ...(microcodeVersion !== undefined ? { microcodeVersion } : {}),
    package: childText(root, 'package') ?? '',
    arch: childText(root, 'arch') ?? '',
    accels,
    ...(hyperv
      ? {
          hyperv: {
            supported: yes(hyperv.attrs.supported),
            caps: childElements(hyperv, 'cap').map((c) => c.attrs.name ?? ''),
          },
        }
      : {}),
  };
}

// ---------- writing ----------

const yesOnly = (name: string, value: boolean): string => xmlYesNo(name, value || undefined);

function formatAccel(type: QemuAccel, caps: QemuAccelCaps, w: XmlWriter): void {
  const h = caps.hostCpu;
  if (h) {
    w.open(
      'hostCPU',
      `${xmlAttr('type', type)}${xmlAttr('model', h.model)}${xmlYesNo('migratability', h.migratability)}`,
    );
    for (const p of h.props) {
      w.empty(
        'property',
        `${xmlAttr('name', p.name)}${xmlAttr('type', p.type)}${xmlAttr('value', p.value)}${xmlYesNo('migratable', p.migratable)}`,
      );
    }
    w.close('hostCPU');
  }
  for (const c of caps.cpuModels) {
    const attrs = `${xmlAttr('type', type)}${xmlAttr('name', c.name)}${xmlAttr('typename', c.typename)}${xmlAttr('usable', c.usable)}${yesOnly('deprecated', c.deprecated)}`;
    if (c.blockers.length === 0) {
      w.empty('cpu', attrs);
      continue;
    }
    w.open('cpu', attrs);
    for (const b of c.blockers) w.empty('blocker', xmlAttr('name', b));
    w.close('cpu');
  }
  for (const m of caps.machines) {
    w.empty(
      'machine',
      `${xmlAttr('type', type)}${xmlAttr('name', m.name)}${xmlAttr('alias', m.alias)}${yesOnly('hotplugCpus', m.hotplugCpus)}` +
        `${xmlAttr('maxCpus', m.maxCpus)}${yesOnly('default', m.isDefault)}${xmlAttr('defaultCPU', m.defaultCpu)}` +
        `${yesOnly('numaMemSupported', m.numaMemSupported)}${xmlAttr('defaultRAMid', m.defaultRamId)}` +
        `${yesOnly('deprecated', m.deprecated)}${xmlYesNo('acpi', m.acpi)}`,
    );
  }
}

/** The cache document, in the element order libvirt writes it. */
export function formatQemuCapsCache(caps: QemuCaps): string {
  const w = new XmlWriter();
  w.open('qemuCaps');
  w.text('emulator', caps.emulator);
  w.text('qemuctime', String(caps.qemuCtime));
  w.text('selfctime', String(caps.selfCtime));
  w.text('selfvers', String(caps.selfVers));
  for (const f of caps.flags) w.empty('flag', xmlAttr('name', f));
  w.text('version', String(caps.version));
  w.optText('kvmVersion', caps.kvmVersion);
  w.optText('microcodeVersion', caps.microcodeVersion);
  w.text('package', caps.package);
  w.text('arch', caps.arch);
  for (const accel of QEMU_ACCELS) formatAccel(accel, caps.accels[accel], w);
  if (caps.hyperv) {
    w.open('hypervCapabilities', xmlYesNo('supported', caps.hyperv.supported));
    for (const c of caps.hyperv.caps) w.empty('cap', xmlAttr('name', c));
    w.close('hypervCapabilities');
  }
  w.close('qemuCaps');
  return w.out;
}
