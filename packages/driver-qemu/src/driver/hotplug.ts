/**
 * attach-device / detach-device for virtio disks and NICs. A running guest gets the device
 * over QMP (blockdev-add + device_add for a disk, netdev_add + device_add for a NIC) and
 * loses it with device_del, which completes when the guest lets go (DEVICE_DELETED); the
 * persistent definition is edited and stored for AFFECT_CONFIG.
 */
import {
  AffectFlags,
  checkFlags,
  type DeviceDef,
  type DiskDef,
  type DomainDef,
  type DomainHotplug,
  type DomainRef,
  ErrorCode,
  ErrorDomain,
  hasFlag,
  type InterfaceDef,
} from '@tsvirt/core';
import { assignAliases, diskNameToIndex } from '../command/aliases.js';
import { isActive, persistentDef, type QemuDomainObj } from './domain-object.js';
import type { QemuDomains } from './domains.js';
import { qemuError } from './errors.js';
import type { QemuMonitor } from './monitor.js';

const DETACH_TIMEOUT_MS = 30_000;

/** Which definitions a change goes to: CURRENT means the live one when running, else the config. */
function affected(d: QemuDomainObj, flags: number): { live: boolean; config: boolean } {
  checkFlags(flags, AffectFlags.LIVE | AffectFlags.CONFIG, 'qemuDomainAttachDeviceFlags', ErrorDomain.QEMU);
  let live = hasFlag(flags, AffectFlags.LIVE);
  let config = hasFlag(flags, AffectFlags.CONFIG);
  if (!live && !config) {
    live = isActive(d);
    config = !live;
  }
  if (live && !isActive(d)) throw qemuError(ErrorCode.OPERATION_INVALID, 'domain is not running');
  if (config && !d.persistent) throw qemuError(ErrorCode.OPERATION_INVALID, 'cannot modify device on transient domain');
  return { live, config };
}

function unsupportedDevice(kind: string): never {
  throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, `live attach of device '${kind}' is not supported`);
}

/** Node names of a hot-plugged disk: distinct from the libvirt-N-* ones the command line uses. */
const nodeNames = (alias: string) => ({ storage: `tsvirt-${alias}-storage`, format: `tsvirt-${alias}-format` });

export class QemuHotplug implements DomainHotplug {
  constructor(private readonly domains: QemuDomains) {}

  async attachDevice(ref: DomainRef, dev: DeviceDef, flags: number): Promise<void> {
    const d = this.domains.find(ref);
    await this.domains.job(d, async () => {
      const { live, config } = affected(d, flags);
      // Both definitions are checked before either changes.
      if (config) checkAttach(persistentDef(d), dev, false);
      if (live) checkAttach(d.def, dev, true);
      if (live) await this.attachLive(d, dev);
      if (config) {
        const def = structuredClone(persistentDef(d));
        addDevice(def, structuredClone(dev));
        await this.domains.storeConfig(d, await this.domains.prepared(def));
      }
    });
  }

  async detachDevice(ref: DomainRef, dev: DeviceDef, flags: number): Promise<void> {
    const d = this.domains.find(ref);
    await this.domains.job(d, async () => {
      const { live, config } = affected(d, flags);
      if (config) findDevice(persistentDef(d), dev);
      if (live) findDevice(d.def, dev);
      if (live) await this.detachLive(d, dev);
      if (config) {
        const def = structuredClone(persistentDef(d));
        removeDevice(def, dev);
        await this.domains.storeConfig(d, def);
      }
    });
  }

  private async attachLive(d: QemuDomainObj, dev: DeviceDef): Promise<void> {
    const monitor = this.domains.running(d).monitor!;
    if (dev.kind === 'disks') {
      const disk = structuredClone(dev.device);
      const alias = `virtio-disk${diskNameToIndex(disk.target.dev)}`;
      const path = disk.source?.path;
      if (disk.type !== 'file' || !path) unsupportedDevice(`disk type ${disk.type}`);
      const nodes = nodeNames(alias);
      const format = disk.driver?.type ?? 'raw';
      await monitor.execute('blockdev-add', {
        driver: 'file',
        filename: path,
        'node-name': nodes.storage,
        'auto-read-only': true,
        discard: 'unmap',
      });
      try {
        await monitor.execute('blockdev-add', {
          driver: format,
          file: nodes.storage,
          'node-name': nodes.format,
          'read-only': disk.readonly === true,
        });
        await monitor.execute('device_add', { driver: 'virtio-blk-pci', drive: nodes.format, id: alias });
      } catch (err) {
        await monitor.execute('blockdev-del', { 'node-name': nodes.format }).catch(() => undefined);
        await monitor.execute('blockdev-del', { 'node-name': nodes.storage }).catch(() => undefined);
        throw err;
      }
      disk.info = { ...disk.info, alias };
      d.def.devices.disks.push(disk);
    } else if (dev.kind === 'interfaces') {
      const net = structuredClone(dev.device);
      const index = nextIndex(d.def, 'net');
      const alias = `net${index}`;
      const netdev: Record<string, unknown> = { id: `host${alias}` };
      if (net.type === 'user') netdev.type = 'user';
      else if (net.type === 'ethernet' && net.target?.dev) {
        Object.assign(netdev, { type: 'tap', ifname: net.target.dev, script: 'no', downscript: 'no' });
      } else unsupportedDevice(`interface type ${net.type}`);
      await monitor.execute('netdev_add', netdev);
      try {
        await monitor.execute('device_add', {
          driver: 'virtio-net-pci',
          netdev: `host${alias}`,
          id: alias,
          mac: net.mac.address,
        });
      } catch (err) {
        await monitor.execute('netdev_del', { id: `host${alias}` }).catch(() => undefined);
        throw err;
      }
      net.info = { ...net.info, alias };
      d.def.devices.interfaces.push(net);
    } else {
      unsupportedDevice(dev.kind.replace(/s$/, ''));
    }
    await this.domains.saveStatus(d);
  }

  private async detachLive(d: QemuDomainObj, dev: DeviceDef): Promise<void> {
    const monitor = this.domains.running(d).monitor!;
    const found = findDevice(d.def, dev);
    const alias = found.info.alias ?? assignAliases(d.def).get(found) ?? '';
    await deleteDevice(monitor, alias);
    if (dev.kind === 'disks') {
      const nodes = nodeNames(alias);
      // A disk from the command line has libvirt's node names; QEMU drops those with the device.
      await monitor.execute('blockdev-del', { 'node-name': nodes.format }).catch(() => undefined);
      await monitor.execute('blockdev-del', { 'node-name': nodes.storage }).catch(() => undefined);
      d.def.devices.disks = d.def.devices.disks.filter((x) => x !== found);
    } else {
      await monitor.execute('netdev_del', { id: `host${alias}` }).catch(() => undefined);
      d.def.devices.interfaces = d.def.devices.interfaces.filter((x) => x !== found);
    }
    await this.domains.saveStatus(d);
  }
}

/** device_del, then wait for QEMU to report the guest released it. */
async function deleteDevice(monitor: QemuMonitor, alias: string): Promise<void> {
  let unsubscribe = () => {};
  const deleted = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(qemuError(ErrorCode.OPERATION_TIMEOUT, 'detaching the device timed out: the guest did not release it'));
    }, DETACH_TIMEOUT_MS);
    unsubscribe = monitor.onEvent((event, data) => {
      if (event === 'DEVICE_DELETED' && data.device === alias) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
  try {
    await monitor.execute('device_del', { id: alias });
  } catch (err) {
    unsubscribe();
    throw err;
  }
  await deleted;
}

function nextIndex(def: DomainDef, prefix: string): number {
  const used = new Set(
    [...assignAliases(def).values(), ...def.devices.interfaces.map((n) => n.info.alias ?? '')]
      .filter((a) => a.startsWith(prefix))
      .map((a) => Number(a.slice(prefix.length))),
  );
  let i = 0;
  while (used.has(i)) i++;
  return i;
}

/** libvirt words a clash differently for the running guest (the validated new definition) and the config. */
function checkAttach(def: DomainDef, dev: DeviceDef, live: boolean): void {
  if (dev.kind === 'disks') {
    const disk = dev.device;
    if (disk.target.bus !== 'virtio') {
      throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, `disk bus '${disk.target.bus}' cannot be hotplugged.`);
    }
    const same = def.devices.disks.find((x) => x.target.dev === disk.target.dev);
    if (same && live) {
      throw qemuError(
        ErrorCode.XML_ERROR,
        `target '${disk.target.dev}' duplicated for disk sources '${same.source?.path ?? ''}' and '${disk.source?.path ?? ''}'`,
      );
    }
    if (same) throw qemuError(ErrorCode.OPERATION_INVALID, `target ${disk.target.dev} already exists`);
  } else if (dev.kind === 'interfaces') {
    const mac = dev.device.mac.address.toLowerCase();
    if (def.devices.interfaces.some((n) => n.mac.address.toLowerCase() === mac)) {
      throw qemuError(ErrorCode.OPERATION_INVALID, `domain already has an interface with mac address ${mac}`);
    }
  } else {
    unsupportedDevice(dev.kind.replace(/s$/, ''));
  }
}

function findDevice(def: DomainDef, dev: DeviceDef): DiskDef | InterfaceDef {
  if (dev.kind === 'disks') {
    const disk = def.devices.disks.find((x) => x.target.dev === dev.device.target.dev);
    if (!disk) throw qemuError(ErrorCode.DEVICE_MISSING, `no target device ${dev.device.target.dev}`);
    return disk;
  }
  if (dev.kind === 'interfaces') {
    const mac = dev.device.mac.address.toLowerCase();
    const net = def.devices.interfaces.find((n) => n.mac.address.toLowerCase() === mac);
    if (!net) {
      // libvirt's wording, with the address and alias it did not get printed as "(<null>)".
      throw qemuError(
        ErrorCode.DEVICE_MISSING,
        `no device found at address '(<null>)' matching MAC address '${mac}' and alias '(<null>)'`,
      );
    }
    return net;
  }
  throw qemuError(
    ErrorCode.OPERATION_UNSUPPORTED,
    `live detach of device '${dev.kind.replace(/s$/, '')}' is not supported`,
  );
}

function addDevice(def: DomainDef, dev: DeviceDef): void {
  if (dev.kind === 'disks') def.devices.disks.push(dev.device);
  else if (dev.kind === 'interfaces') def.devices.interfaces.push(dev.device);
}

function removeDevice(def: DomainDef, dev: DeviceDef): void {
  const found = findDevice(def, dev);
  def.devices.disks = def.devices.disks.filter((x) => x !== found);
  def.devices.interfaces = def.devices.interfaces.filter((x) => x !== found);
}
