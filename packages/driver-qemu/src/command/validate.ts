/**
 * Checks libvirt's QEMU driver makes before it builds a command line (qemu_validate.c's
 * territory), with libvirt's wording. Each rule is one small function; the first failure wins.
 */
import type { DomainDef } from '@tsvirt/core';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { firmwareSelectionError } from '../domain/firmware/select.js';
import { isQ35 } from './aliases.js';
import { child, rawInfo, text } from './raw.js';
import { assignUsbPorts } from './usb-ports.js';

const err = (code: ErrorCode, detail: string) => new VirError({ code, domain: ErrorDomain.QEMU, detail });
export const unsupportedConfig = (detail: string) => err(ErrorCode.CONFIG_UNSUPPORTED, detail);
const xmlErr = (detail: string) => err(ErrorCode.XML_ERROR, detail);
const internal = (detail: string) => err(ErrorCode.INTERNAL_ERROR, detail);

type Rule = (def: DomainDef, caps: QemuCaps) => VirError | undefined;

const bootRules: Rule[] = [
  (def) => {
    const perDevice = [...def.devices.disks, ...def.devices.interfaces].some((d) => d.info.boot);
    if (perDevice && def.os.boot?.length)
      return unsupportedConfig('per-device boot elements cannot be used together with os/boot elements');
  },
  (def) => {
    const t = def.os.bootmenu?.timeout;
    if (t !== undefined && (t < 0 || t > 65535))
      return unsupportedConfig('invalid value for boot menu timeout, must be in range [0,65535]');
  },
];

const platformRules: Rule[] = [
  (def, caps) => {
    // An x86_64 binary runs 32-bit guests too.
    const arches = caps.arch === 'x86_64' ? ['x86_64', 'i686'] : [caps.arch];
    if (def.os.arch && !arches.includes(def.os.arch))
      return unsupportedConfig(
        `Emulator '${def.devices.emulator ?? caps.emulator}' does not support arch '${def.os.arch}'`,
      );
    if (def.type !== 'qemu' && def.type !== 'kvm')
      return unsupportedConfig(
        `Emulator '${def.devices.emulator ?? caps.emulator}' does not support virt type '${def.type}'`,
      );
  },
  (def) => {
    const tseg = def.features?.smm?.tseg;
    if (tseg !== undefined && tseg % (1024 * 1024) !== 0)
      return unsupportedConfig('SMM TSEG size must be divisible by 1 MiB');
  },
  (def) => {
    const f = def.features;
    if (f?.ps2 && !f.ps2.on) {
      if (def.devices.inputs.some((i) => i.bus === 'ps2'))
        return unsupportedConfig('ps2 bus inputs require the ps2 feature not to be disabled');
      if (f.vmport?.on) return unsupportedConfig('vmport feature requires the ps2 feature not to be disabled');
    }
  },
];

const cpuRules: Rule[] = [
  (def) => {
    const cpu = def.cpu;
    if (!cpu) return;
    if (cpu.cache?.mode === 'emulate' && cpu.cache.level !== 3)
      return unsupportedConfig("CPU cache mode 'emulate' can only be used with level='3'");
    if (cpu.cache?.mode === 'passthrough' && cpu.mode !== 'host-passthrough' && cpu.mode !== 'maximum')
      return unsupportedConfig(
        "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs",
      );
    if (cpu.maxphysaddr?.mode === 'passthrough' && cpu.maxphysaddr.bits !== undefined)
      return unsupportedConfig(
        "CPU maximum physical address bits number specification cannot be used with mode='passthrough'",
      );
    if (def.type === 'qemu' && cpu.mode === 'host-passthrough')
      return unsupportedConfig(
        `CPU mode 'host-passthrough' for ${def.os.arch ?? 'x86_64'} qemu domain on x86_64 host is not supported by hypervisor`,
      );
  },
];

const UNSUPPORTED_FORMATS: Record<string, string> = {
  dir: "'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead",
  iso: "storage format 'iso' is not directly supported by QEMU, use 'raw' instead",
};

const diskRules: Rule[] = [
  (def) => {
    for (const d of def.devices.disks) {
      const dev = d.target.dev;
      if (/^(hd|sd|vd|xvd|ubd)[a-z]+[0-9]+$/.test(dev))
        return unsupportedConfig(`invalid disk target '${dev}', partitions can't appear in disk targets`);
      const fmt = d.driver?.type;
      if (fmt && UNSUPPORTED_FORMATS[fmt]) return unsupportedConfig(UNSUPPORTED_FORMATS[fmt]!);
      if (d.source?.protocol === 'sheepdog')
        return unsupportedConfig("'sheepdog' protocol is no longer supported by any hypervisor driver");
      if (d.source?.protocol === 'iscsi' && (d.source.hosts?.length ?? 0) !== 1)
        return internal('iSCSI protocol accepts only one host');
      if (d.target.bus === 'usb' && !d.source) return unsupportedConfig("'usb' disk must not be empty");
      if (d.device === 'lun' && d.type !== 'block' && !(d.type === 'network' && d.source?.protocol === 'iscsi'))
        return unsupportedConfig("disk device='lun' is only valid for block type disk source");
      if (d.device === 'lun' && d.target.bus === 'virtio')
        return unsupportedConfig("This QEMU doesn't support SCSI emulation with 'virtio-blk' device");
      const enc = d.encryption;
      if (enc?.attrs.format === 'luks') {
        if (fmt && fmt !== 'raw' && fmt !== 'qcow2')
          return unsupportedConfig("encryption is supported only with 'raw' and 'qcow2' image format");
        if (child(enc, 'cipher'))
          return unsupportedConfig('supplying <cipher> for domain disk definition is unnecessary');
      }
      if (d.vendor !== undefined && d.target.bus !== 'scsi')
        return unsupportedConfig("Only scsi disk supports 'vendor'");
      if (d.product !== undefined && d.product.length > 16)
        return unsupportedConfig('disk product is more than 16 characters');
      const addr = d.info.address?.type;
      if (addr && (d.target.bus === 'sata' || d.target.bus === 'scsi' || d.target.bus === 'ide') && addr !== 'drive')
        return unsupportedConfig(
          `Invalid address type '${addr}' for the disk '${dev}' with the bus type '${d.target.bus}'`,
        );
      if (addr && d.target.bus === 'usb' && addr !== 'usb') return internal('unexpected address type for usb disk');
    }
  },
];

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

const deviceRules: Rule[] = [
  (def) => {
    for (const c of def.devices.controllers) {
      if (c.type === 'pci' && (c.model === 'pci-root' || c.model === 'pcie-root') && c.info.address)
        return unsupportedConfig('pci-root and pcie-root controllers should not have an address');
      if (c.type === 'pci' && c.model === 'pcie-expander-bus' && !isQ35(def))
        return unsupportedConfig('pcie-expander-bus controllers are not supported with this machine type');
      if (c.type === 'virtio-serial' && c.driver?.iothread !== undefined)
        return xmlErr("'iothread' attribute only supported for virtio scsi controllers");
      if (c.type === 'usb' && (c.model === 'nec-xhci' || c.model === 'qemu-xhci') && (c.ports ?? 0) > 15)
        return unsupportedConfig(`'${c.model}' controller only supports up to '15' ports`);
    }
  },
  (def) => {
    const usbOff = def.devices.controllers.some((c) => c.type === 'usb' && c.model === 'none');
    if (!usbOff) {
      const infos = [
        ...def.devices.inputs.map((x) => x.info),
        ...def.devices.disks.map((x) => x.info),
        ...def.devices.redirdevs.map((x) => x.info),
        ...(def.devices.raw.hub ?? []).map(rawInfo),
      ];
      for (const info of infos) {
        const a = info.address;
        if (a?.type === 'usb' && !def.devices.controllers.some((c) => c.type === 'usb' && c.index === a.bus))
          return xmlErr(`USB bus ${a.bus} requested but no controller with that index is present`);
      }
      return;
    }
    if ((def.devices.raw.hub ?? []).length)
      return unsupportedConfig("Can't add USB hub: USB is disabled for this domain");
    if (def.devices.inputs.some((i) => i.bus === 'usb'))
      return unsupportedConfig("Can't add USB input device. USB bus is disabled");
  },
  (def) => {
    const videos = def.devices.videos;
    if (videos.some((v) => v.type === 'none') && videos.length > 1)
      return unsupportedConfig("a 'none' video type must be the only video device defined for the domain");
    if (videos.filter((v) => v.primary).length > 1)
      return unsupportedConfig('Only one primary video device is supported');
    if (videos.some((v) => v.type === 'ramfb' && v.info.address))
      return unsupportedConfig('address not supported for video type ramfb');
  },
  (def) => {
    const g = def.devices.graphics;
    if (
      g.some((x) => x.type === 'egl-headless') &&
      g.some((x) => x.type !== 'egl-headless' && x.type !== 'vnc' && x.type !== 'spice')
    )
      return unsupportedConfig(
        "graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types",
      );
    const hostdevs = def.devices.raw.hostdev ?? [];
    if (hostdevs.some((h) => h.attrs.display === 'on') && g.length === 0)
      return unsupportedConfig("graphics device is needed for attribute value 'display=on' in <hostdev>");
    if (hostdevs.filter((h) => h.attrs.type === 'mdev' && h.attrs.ramfb === 'on').length > 1)
      return unsupportedConfig("Only one vgpu device can have 'ramfb' enabled");
  },
  (def) => {
    for (const net of def.devices.interfaces) {
      const rx = net.driver?.rx_queue_size;
      if (rx !== undefined && !isPowerOfTwo(Number(rx)))
        return unsupportedConfig('rx_queue_size has to be a power of two');
    }
  },
  (def) => {
    for (const input of def.devices.inputs) {
      if (
        (input.model === 'virtio-transitional' || input.model === 'virtio-non-transitional') &&
        input.type !== 'passthrough'
      )
        return unsupportedConfig(`virtio (non-)transitional models are not supported for input type=${input.type}`);
    }
  },
  (def) => {
    for (const el of def.devices.raw.iommu ?? []) {
      if (el.attrs.model !== 'virtio') continue;
      const drv = child(el, 'driver');
      if (drv && Object.keys(drv.attrs).length)
        return xmlErr("iommu model 'virtio' doesn't support additional attributes");
      const a = child(el, 'address');
      if (a && a.attrs.type !== 'pci') return unsupportedConfig("IOMMU device: 'virtio' needs a PCI address");
      if (!isQ35(def))
        return unsupportedConfig("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines");
      if (!def.features?.acpi?.on) return unsupportedConfig("IOMMU device: 'virtio' requires ACPI");
    }
  },
  (def) => {
    for (const el of def.devices.raw.shmem ?? []) {
      const a = child(el, 'address');
      if (a && a.attrs.type !== 'pci')
        return unsupportedConfig("only 'pci' addresses are supported for the shared memory device");
      const msi = child(el, 'msi');
      if (msi && !child(el, 'server')) return xmlErr('msi option is only supported with a server');
      const size = child(el, 'size');
      if (size) {
        const kib =
          Number(text(size)) * ({ M: 1024, MiB: 1024, G: 1024 ** 2, GiB: 1024 ** 2 }[size.attrs.unit ?? 'KiB'] ?? 1);
        if (kib < 1024 || !isPowerOfTwo(kib))
          return xmlErr('shmem size must be a power of 2 and at least 1 MiB (1024 KiB)');
      }
    }
  },
  (def) => {
    const cells = def.cpu?.numa?.length ?? 0;
    const mems = def.devices.raw.memory ?? [];
    if (def.maxMemory && cells === 0 && mems.some((m) => m.attrs.model === 'dimm' || m.attrs.model === 'nvdimm'))
      return unsupportedConfig('At least one numa node has to be configured when enabling memory hotplug');
  },
];

const chardevRules: Rule[] = [
  (def) => {
    const d = def.devices;
    for (const c of [...d.serials, ...d.parallels, ...d.channels, ...d.consoles]) {
      const src = c.source;
      if (src.type === 'tcp' && src.protocol === 'tls')
        return unsupportedConfig("tcp chardev protocol 'tls' not supported");
      if (src.type === 'unix' && !src.path && src.reconnect?.enabled)
        return internal('chardev reconnect is possible only for connect mode');
    }
  },
  (def) => {
    for (const el of def.devices.raw.tpm ?? []) if (!child(el, 'backend')) return xmlErr('missing TPM device backend');
  },
];

/** A key naming the host resource a <hostdev> takes, to find the same device assigned twice. */
function hostdevKey(el: import('@tsvirt/core').XmlElement): string | undefined {
  const src = child(el, 'source');
  if (!src) return undefined;
  const flat = (e: import('@tsvirt/core').XmlElement): string =>
    `${e.name}${JSON.stringify(e.attrs)}[${e.nodes.map((n) => (typeof n === 'string' ? '' : flat(n))).join('')}]`;
  return `${el.attrs.type}|${flat(src)}`;
}

const hostdevRules: Rule[] = [
  (def) => {
    const seen = new Set<string>();
    for (const el of def.devices.raw.hostdev ?? []) {
      const type = el.attrs.type;
      const src = child(el, 'source');
      if (type === 'scsi_host' || (type === 'scsi' && src?.attrs.protocol === 'vhost')) {
        if (el.attrs.rawio !== undefined) return xmlErr('rawio is only supported for scsi host device');
        if (el.attrs.sgio !== undefined) return xmlErr('sgio is only supported for scsi host device');
        if (child(el, 'boot'))
          return unsupportedConfig('booting from assigned devices is not supported by vhost SCSI devices');
      }
      if (type === 'mdev') {
        const a = src ? child(src, 'address') : undefined;
        if (!a?.attrs.uuid) return unsupportedConfig("Missing 'uuid' attribute for element <address>");
        const target = child(el, 'address')?.attrs.type;
        if (target && target !== 'pci' && target !== 'ccw')
          return xmlErr(`Unsupported address type '${target}' with mediated device model '${el.attrs.model}'`);
      }
      const key = hostdevKey(el);
      if (key !== undefined) {
        if (seen.has(key)) return xmlErr('Hostdev already exists in the domain configuration');
        seen.add(key);
      }
    }
  },
];

const detail = (msg: string) => err(ErrorCode.XML_DETAIL, msg);

const memoryRules: Rule[] = [
  (def) => {
    // Memory hotplug on x86 places the new memory in a guest NUMA node.
    const hotplug = def.maxMemory !== undefined && (def.maxMemory.size > 0 || (def.maxMemory.slots ?? 0) > 0);
    const arch = def.os.arch ?? 'x86_64';
    if (hotplug && !arch.startsWith('ppc64') && !def.cpu?.numa?.length)
      return unsupportedConfig('At least one numa node has to be configured when enabling memory hotplug');
  },
  (def) => {
    const cells = def.cpu?.numa?.length ?? 0;
    for (const m of def.devices.raw.memory ?? []) {
      const node = text(child(child(m, 'target') ?? m, 'node'));
      if (node !== undefined && cells > 0 && Number(node) >= cells)
        return detail(
          `can't add memory backend for guest node '${node}' as the guest has only '${cells}' NUMA nodes configured`,
        );
    }
  },
  (def) => {
    const tune = def.numatune;
    if (!tune) return;
    const memMode = tune.memory?.mode;
    if (memMode === 'restrictive' && tune.memnodes.some((m) => m.mode !== 'restrictive'))
      return xmlErr("'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element");
    if (memMode !== 'restrictive' && tune.memnodes.some((m) => m.mode === 'restrictive'))
      return xmlErr("'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element");
    if (tune.memory?.placement === 'auto' && tune.memnodes.length)
      return unsupportedConfig('Per-node binding is not compatible with automatic NUMA placement.');
  },
];

const SECRET_TYPE_FOR: Record<string, string> = { iscsi: 'iscsi', rbd: 'ceph' };

const diskSourceRules: Rule[] = [
  (def) => {
    for (const d of def.devices.disks) {
      const inSource = d.source?.extra?.find((e) => e.name === 'auth');
      if (d.auth && inSource) return unsupportedConfig('an <auth> definition already found for disk source');
      const auth = d.auth ?? inSource;
      const secret = auth ? child(auth, 'secret') : undefined;
      const want = d.source?.protocol ? SECRET_TYPE_FOR[d.source.protocol] : undefined;
      if (secret && want) {
        const type = secret.attrs.type;
        if (type === undefined) return unsupportedConfig("unknown secret type '<null>'");
        if (type !== want) return unsupportedConfig(`invalid secret type '${type}'`);
      }
      if (!d.info.address && d.target.bus !== 'virtio' && d.target.bus !== 'usb') {
        const letters = /^(?:hd|sd|vd|xvd|ubd|fd)([a-z]+)$/.exec(d.target.dev)?.[1];
        if (letters && letters.length > 6)
          return xmlErr(`Unknown disk name '${d.target.dev}' and no address specified`);
      }
    }
  },
  (def) => {
    for (const net of def.devices.interfaces) {
      if (net.backend?.tap && (net.type === 'hostdev' || net.type === 'vhostuser'))
        return unsupportedConfig(
          `interface ${net.mac.address} - custom tap device path is not supported for network interfaces of type ${net.type}`,
        );
    }
  },
];

/** The QEMU device (capability flag) behind each USB controller model. */
const USB_CONTROLLER_FLAG: Record<string, string> = {
  'piix3-uhci': 'piix3-usb-uhci',
  'piix4-uhci': 'piix4-usb-uhci',
  ehci: 'usb-ehci',
  'ich9-ehci1': 'ich9-usb-ehci1',
  'vt82c686b-uhci': 'vt82c686b-usb-uhci',
  'pci-ohci': 'pci-ohci',
  'nec-xhci': 'nec-usb-xhci',
  'qemu-xhci': 'qemu-xhci',
};

const usbRules: Rule[] = [
  (def, caps) => {
    for (const c of def.devices.controllers) {
      const flag = c.type === 'usb' && c.model ? USB_CONTROLLER_FLAG[c.model] : undefined;
      if (flag && !caps.flags.has(flag))
        return unsupportedConfig(`USB controller model '${c.model}' not supported in this QEMU binary`);
    }
  },
  (def) => {
    try {
      assignUsbPorts(def, true);
    } catch (e) {
      if (e instanceof VirError) return e;
      throw e;
    }
  },
];

const SERIAL_DEFAULT_MODEL: Record<string, string> = {
  'spapr-vio-serial': 'spapr-vty',
  'system-serial': 'pl011',
  'sclp-serial': 'sclpconsole',
};

const archRules: Rule[] = [
  (def) => {
    const arch = def.os.arch ?? 'x86_64';
    if (arch !== 'x86_64' && arch !== 'i686') return;
    const machine = def.os.machine ?? 'pc';
    for (const f of ['hpt', 'htm', 'nested-hv', 'ccf-assist', 'cfpc', 'sbbc', 'ibs'] as const) {
      if (def.features?.[f])
        return unsupportedConfig(
          `The '${f}' feature is not supported for architecture '${arch}' or machine type '${machine}'`,
        );
    }
    for (const ser of def.devices.serials) {
      const type = ser.target.type;
      if (type && SERIAL_DEFAULT_MODEL[type])
        return unsupportedConfig(
          `Serial device with target type '${type}' and target model '${ser.target.model ?? SERIAL_DEFAULT_MODEL[type]}' not compatible with guest architecture or machine type`,
        );
    }
    const zpci = (def.devices.raw.hostdev ?? []).some((h) => {
      const a = child(h, 'address');
      return a !== undefined && child(a, 'zpci') !== undefined;
    });
    if (zpci) return unsupportedConfig("This QEMU binary doesn't support zPCI");
  },
  (def) => {
    const cells = def.cpu?.numa?.length ?? 0;
    for (const c of def.devices.controllers) {
      if (c.type !== 'pci') continue;
      if ((c.model === 'pci-root' || c.model === 'pcie-root') && c.index !== 0)
        return xmlErr('pci-root and pcie-root controllers should have index 0');
      if (
        (c.model === 'pci-expander-bus' || c.model === 'pcie-expander-bus') &&
        c.targetNode !== undefined &&
        c.targetNode >= cells
      )
        return xmlErr(
          `${c.model} with index ${c.index} is configured for a NUMA node (${c.targetNode}) not present in the domain's <cpu><numa> array (${cells})`,
        );
    }
  },
];

/** Start-up picks the firmware again; a definition post-parse found none for cannot start. */
const firmwareRule: Rule = (def) => {
  const reason = firmwareSelectionError(def);
  if (reason) return err(ErrorCode.OPERATION_FAILED, reason);
};

const RULES: Rule[] = [
  ...archRules,
  ...usbRules,
  ...diskSourceRules,
  ...memoryRules,
  ...chardevRules,
  ...hostdevRules,
  ...platformRules,
  ...bootRules,
  ...cpuRules,
  ...diskRules,
  ...deviceRules,
  firmwareRule,
];

export function validateForCommandLine(def: DomainDef, caps: QemuCaps): void {
  for (const rule of RULES) {
    const e = rule(def, caps);
    if (e) throw e;
  }
}
