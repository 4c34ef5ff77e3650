/** The builder's working state: inputs, the growing argument list, aliases and helpers. */
import type { DeviceInfo, DomainDef } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { type AliasMap, assignAliases, controllerAlias } from './aliases.js';
import type { FdKind, QemuBuildContext } from './context.js';
import { type Props, pciAddr } from './props.js';
import { assignUsbPorts } from './usb-ports.js';

export class BuildState {
  readonly args: string[] = [];
  /** Next -add-fd set number. */
  nextFdSet = 0;
  readonly aliases: AliasMap;
  constructor(
    readonly def: DomainDef,
    readonly caps: QemuCaps,
    readonly ctx: QemuBuildContext,
  ) {
    this.aliases = assignAliases(def);
    const usb = assignUsbPorts(def);
    this.usbPorts = usb.ports;
    this.addedUsbHubs = usb.addedHubs;
  }

  /** Hubs added at start-up because the USB devices outnumber the ports. */
  readonly addedUsbHubs: readonly object[];

  /** Ports given at start-up to USB devices the definition leaves unplaced. */
  readonly usbPorts: Map<object, string>;

  /** addressProps for a device that may sit on a USB bus without a fixed port. */
  usbAddressProps(p: Props, dev: object, info: DeviceInfo | undefined): void {
    const port = this.usbPorts.get(dev);
    if (port !== undefined) {
      const bus = info?.address?.type === 'usb' ? info.address.bus : 0;
      this.addressProps(p, { ...info, address: { type: 'usb', bus, port } });
    } else this.addressProps(p, info);
  }

  add(...args: string[]): void {
    this.args.push(...args);
  }

  device(props: Props): void {
    this.args.push('-device', props.json());
  }

  object(props: Props): void {
    this.args.push('-object', props.json());
  }

  has(flag: string): boolean {
    return this.caps.flags.has(flag);
  }

  alias(dev: object): string {
    return this.aliases.get(dev) ?? '';
  }

  /** QEMU bus id of the PCI bus with the given index. */
  pciBusName(bus: number): string {
    const c = this.def.devices.controllers.find((x) => x.type === 'pci' && x.index === bus);
    if (!c) return `pci.${bus}`;
    return controllerAlias(this.def, c);
  }

  /** The bus/addr properties a device's <address> becomes. */
  addressProps(p: Props, info: DeviceInfo | undefined): void {
    const addr = info?.address;
    if (!addr) return;
    switch (addr.type) {
      case 'pci':
        p.set('bus', this.pciBusName(addr.bus));
        if (addr.multifunction !== undefined) p.set('multifunction', addr.multifunction);
        p.set('addr', pciAddr(addr));
        if (info?.acpiIndex) p.set('acpi-index', info.acpiIndex);
        return;
      case 'usb': {
        const ctrl = this.def.devices.controllers.find((c) => c.type === 'usb' && c.index === addr.bus);
        p.set('bus', `${ctrl ? controllerAlias(this.def, ctrl) : 'usb'}.0`);
        if (addr.port !== undefined) p.set('port', addr.port);
        return;
      }
      case 'virtio-serial': {
        const ctrl = this.def.devices.controllers.find(
          (c) => c.type === 'virtio-serial' && c.index === addr.controller,
        );
        p.set('bus', `${ctrl ? controllerAlias(this.def, ctrl) : `virtio-serial${addr.controller}`}.${addr.bus}`);
        p.set('nr', addr.port);
        return;
      }
      case 'ccid':
        p.set('bus', `ccid${addr.controller}.0`);
        p.set('slot', addr.slot);
        return;
      case 'spapr-vio':
        if (addr.reg !== undefined) p.set('reg', addr.reg);
        return;
      case 'isa':
        if (addr.iobase !== undefined) p.set('iobase', addr.iobase);
        if (addr.irq !== undefined) p.set('irq', addr.irq);
        return;
      default:
        return;
    }
  }

  fd(kind: FdKind, owner: string): number {
    return this.ctx.passFd ? this.ctx.passFd(kind, owner) : -1;
  }
}
