/** -device lines for controllers, in libvirt's order of controller types. */
import type { ControllerDef } from '@tsvirt/core';
import { isQ35 } from './aliases.js';
import { Props } from './props.js';
import type { BuildState } from './state.js';
import { unsupportedConfig } from './validate.js';
import { iothreadVqMapping, virtioOptions, virtioVariant } from './virtio.js';

const USB_MODELS: Record<string, string> = {
  'piix3-uhci': 'piix3-usb-uhci',
  'piix4-uhci': 'piix4-usb-uhci',
  ehci: 'usb-ehci',
  'ich9-ehci1': 'ich9-usb-ehci1',
  'ich9-uhci1': 'ich9-usb-uhci1',
  'ich9-uhci2': 'ich9-usb-uhci2',
  'ich9-uhci3': 'ich9-usb-uhci3',
  'vt82c686b-uhci': 'vt82c686b-usb-uhci',
  'pci-ohci': 'pci-ohci',
  'nec-xhci': 'nec-usb-xhci',
  'qemu-xhci': 'qemu-xhci',
};

const SCSI_MODELS: Record<string, string> = {
  lsilogic: 'lsi',
  'virtio-scsi': 'virtio-scsi-pci',
  'virtio-transitional': 'virtio-scsi-pci-transitional',
  'virtio-non-transitional': 'virtio-scsi-pci-non-transitional',
  lsisas1068: 'mptsas1068',
  lsisas1078: 'megasas',
  vmpvscsi: 'pvscsi',
  ibmvscsi: 'spapr-vscsi',
};

const ORDER = ['pci', 'usb', 'scsi', 'ide', 'sata', 'fdc', 'virtio-serial', 'isa', 'xenbus'];

export function buildControllers(s: BuildState, types: readonly string[] = ORDER): void {
  const list = s.def.devices.controllers;
  for (const type of types) {
    const ofType = list.filter((c) => c.type === type);
    if (type === 'pci') ofType.sort((a, b) => a.index - b.index);
    for (const c of ofType) {
      const props = controllerProps(s, c);
      if (props) s.device(props);
    }
  }
}

/** Controllers QEMU creates by itself (the root bus, the PIIX IDE, the q35 AHCI) get no -device. */
function isBuiltin(s: BuildState, c: ControllerDef): boolean {
  if (c.type === 'pci' && (c.model === 'pci-root' || c.model === 'pcie-root')) return true;
  if (c.type === 'ide' && c.index === 0 && !isQ35(s.def)) return true;
  if (c.type === 'sata' && c.index === 0 && isQ35(s.def)) return true;
  if (c.type === 'fdc') return true;
  if (c.type === 'usb' && c.model === 'none') return true;
  return false;
}

function controllerProps(s: BuildState, c: ControllerDef): Props | undefined {
  if (isBuiltin(s, c)) return undefined;
  const id = s.alias(c);
  const p = new Props();
  switch (c.type) {
    case 'pci':
      pciControllerProps(s, c, p);
      break;
    case 'usb': {
      // Post-parse leaves the model unset when this QEMU has no default USB controller.
      if (c.model === undefined) throw unsupportedConfig('no model provided for USB controller');
      const model = USB_MODELS[c.model] ?? c.model;
      p.set('driver', model);
      if (c.ports !== undefined && model.endsWith('xhci')) p.set('p2', c.ports).set('p3', c.ports);
      // A companion controller joins its EHCI master's bus and has no id of its own.
      if (c.info.masterStartport !== undefined) {
        const master = s.def.devices.controllers.find(
          (m) => m.type === 'usb' && m.index === c.index && m.info.masterStartport === undefined,
        );
        p.set('masterbus', `${master ? s.alias(master) : 'usb'}.0`).set('firstport', c.info.masterStartport);
      } else p.set('id', id);
      break;
    }
    case 'scsi':
      p.set('driver', SCSI_MODELS[c.model ?? 'lsilogic'] ?? c.model ?? 'lsi');
      if (c.model?.startsWith('virtio')) {
        virtioOptions(p, c.driver);
        if (c.driver?.iothread !== undefined) p.set('iothread', `iothread${c.driver.iothread}`);
      }
      p.set('id', id);
      virtioQueueProps(c, p);
      break;
    case 'virtio-serial':
      p.set('driver', virtioVariant('virtio-serial-pci', c.model));
      virtioOptions(p, c.driver);
      p.set('id', id);
      if (c.ports !== undefined) p.set('max_ports', c.ports);
      if (c.vectors !== undefined) p.set('vectors', c.vectors);
      break;
    case 'sata':
      p.set('driver', 'ahci').set('id', id);
      break;
    case 'ide':
      p.set('driver', 'piix3-ide').set('id', id);
      break;
    case 'ccid':
      p.set('driver', 'usb-ccid').set('id', id);
      break;
    default:
      return undefined;
  }
  s.usbAddressProps(p, c, c.info);
  return p;
}

function virtioQueueProps(c: ControllerDef, p: Props): void {
  const d = c.driver ?? {};
  if (d.queues !== undefined) p.set('num_queues', Number(d.queues));
  iothreadVqMapping(p, c.iothreadMapping);
  if (d.cmd_per_lun !== undefined) p.set('cmd_per_lun', Number(d.cmd_per_lun));
  if (d.max_sectors !== undefined) p.set('max_sectors', Number(d.max_sectors));
  if (d.ioeventfd !== undefined) p.set('ioeventfd', d.ioeventfd === 'on');
}

function pciControllerProps(s: BuildState, c: ControllerDef, p: Props): void {
  const t = c.target ?? {};
  const num = (k: string) => (t[k] === undefined ? undefined : Number(t[k]));
  const driver = c.modelName ?? c.model ?? 'pci-bridge';
  p.set('driver', driver);
  switch (c.model) {
    case 'pci-bridge':
      p.set('chassis_nr', num('chassisNr'));
      if (t.memReserve !== undefined) p.set('mem-reserve', Number(t.memReserve) * 1024);
      break;
    case 'pcie-root-port':
    case 'pcie-switch-downstream-port':
      p.set('port', num('port')).set('chassis', num('chassis'));
      break;
    case 'pci-expander-bus':
    case 'pcie-expander-bus':
      p.set('bus_nr', num('busNr')).set('id', s.alias(c));
      if (c.targetNode !== undefined) p.set('numa_node', c.targetNode);
      break;
    default:
      break;
  }
  p.set('id', s.alias(c));
  if (t.hotplug !== undefined) p.set('hotplug', t.hotplug === 'on');
}

/** CCID controllers are USB devices: they follow the USB hubs. */
export function buildCcidControllers(s: BuildState): void {
  buildControllers(s, ['ccid']);
}
