/**
 * Checks before a command line is built. As libvirt re-validates a definition when it starts
 * a guest, the parse-time rule set (domain/validate.ts) runs again first; then come the
 * refusals libvirt only makes at start-up or while building the command line (a definition
 * with them can still be defined). Each start-up rule is one small function; the first
 * failure wins.
 */
import type { DomainDef } from '@tsvirt/core';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { firmwareSelectionError } from '../domain/firmware/select.js';
import { qemuValidate } from '../domain/validate.js';
import { child, rawInfo } from './raw.js';

const err = (code: ErrorCode, detail: string) => new VirError({ code, domain: ErrorDomain.QEMU, detail });
export const unsupportedConfig = (detail: string) => err(ErrorCode.CONFIG_UNSUPPORTED, detail);
const xmlErr = (detail: string) => err(ErrorCode.XML_ERROR, detail);
const internal = (detail: string) => err(ErrorCode.INTERNAL_ERROR, detail);

type Rule = (def: DomainDef, caps: QemuCaps) => VirError | undefined;

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

/** The binary must have the device behind each USB controller model. */
const usbControllerDevices: Rule = (def, caps) => {
  for (const c of def.devices.controllers) {
    const flag = c.type === 'usb' && c.model ? USB_CONTROLLER_FLAG[c.model] : undefined;
    if (flag && !caps.flags.has(flag))
      return unsupportedConfig(`USB controller model '${c.model}' not supported in this QEMU binary`);
  }
};

/** hostdev and vhost-user interfaces get no tap device, so none can be named for them. */
const tapPaths: Rule = (def) => {
  for (const net of def.devices.interfaces) {
    if (net.backend?.tap && (net.type === 'hostdev' || net.type === 'vhostuser'))
      return unsupportedConfig(
        `interface ${net.mac.address} - custom tap device path is not supported for network interfaces of type ${net.type}`,
      );
  }
};

/** TCG cannot give a guest the host's CPU. */
const hostPassthroughCpu: Rule = (def) => {
  if (def.type === 'qemu' && def.cpu?.mode === 'host-passthrough')
    return unsupportedConfig(
      `CPU mode 'host-passthrough' for ${def.os.arch ?? 'x86_64'} qemu domain on x86_64 host is not supported by hypervisor`,
    );
};

const iscsiHosts: Rule = (def) => {
  for (const d of def.devices.disks)
    if (d.source?.protocol === 'iscsi' && (d.source.hosts?.length ?? 0) !== 1)
      return internal('iSCSI protocol accepts only one host');
};

/** USB devices addressed to a bus need that USB controller. */
const usbBuses: Rule = (def) => {
  if (def.devices.controllers.some((c) => c.type === 'usb' && c.model === 'none')) return;
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
};

const shmemAddresses: Rule = (def) => {
  for (const el of def.devices.raw.shmem ?? []) {
    const a = child(el, 'address');
    if (a && a.attrs.type !== 'pci')
      return unsupportedConfig("only 'pci' addresses are supported for the shared memory device");
  }
};

/** Start-up picks the firmware again; a definition post-parse found none for cannot start. */
const firmware: Rule = (def) => {
  const reason = firmwareSelectionError(def);
  if (reason) return err(ErrorCode.OPERATION_FAILED, reason);
};

const START_RULES: Rule[] = [
  usbControllerDevices,
  tapPaths,
  hostPassthroughCpu,
  iscsiHosts,
  usbBuses,
  shmemAddresses,
  firmware,
];

export function validateForCommandLine(def: DomainDef, caps: QemuCaps): void {
  qemuValidate(def, caps);
  for (const rule of START_RULES) {
    const e = rule(def, caps);
    if (e) throw e;
  }
}
