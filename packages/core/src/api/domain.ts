import { type DomainVcpuList, type SchedulerType, VcpuFlags } from '../contract/cpu-tuning.js';
import type { ConsoleStream, DomainLifecycle } from '../contract/driver.js';
import {
  AffectFlags,
  DomainXmlFlags,
  hasFlag,
  SaveRestoreFlags,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  SnapshotRevertFlags,
  UndefineFlags,
} from '../contract/flags.js';
import type {
  BlockStats,
  BlockStatsParam,
  DomainControlInfo,
  DomainInfo,
  DomainMemoryStat,
  DomainStateInfo,
  InterfaceStats,
  SecurityLabel,
} from '../contract/info.js';
import type { IOThreadInfo } from '../contract/iothreads.js';
import type { DomainRef, SnapshotRef } from '../contract/refs.js';
import type { DomainBlockInfo, DomainFSInfo, DomainTime, TypedParameterList } from '../contract/tuning.js';
import type { TypedParameter } from '../contract/typed-parameter.js';
import { checkFlags } from '../errors/check-flags.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { formatDomainXml, parseDeviceXml, parseDomainXml } from '../xml/domain/index.js';
import { formatDomainSnapshotXml, parseDomainSnapshotXml } from '../xml/snapshot/index.js';
import { type DomainCheckpoint, DomainCheckpointCalls } from './checkpoint.js';
import type { ConnectionContext } from './context.js';
import { DomainCpuCalls } from './domain-cpu.js';
import { DomainIOThreadCalls } from './domain-iothreads.js';
import { checkGetMetadataArgs, checkSetMetadataArgs } from './domain-metadata.js';
import * as tune from './domain-tuning.js';
import { assertNonEmpty, assertNonEmptyString, assertNonZero, assertWritable, method, need } from './guards.js';
import { DomainSnapshot } from './snapshot.js';

const ALL_UNDEFINE_FLAGS = Object.values(UndefineFlags).reduce((a, b) => a | b, 0);
const ALL_SAVE_FLAGS = Object.values(SaveRestoreFlags).reduce((a, b) => a | b, 0);
const ALL_XML_FLAGS = Object.values(DomainXmlFlags).reduce((a, b) => a | b, 0);

/** A domain handle, as virDomainPtr: name, UUID and the id it had when last seen. */
export class Domain {
  constructor(
    private readonly ctx: ConnectionContext,
    private ref: DomainRef,
  ) {}

  /** The driver-level reference (for drivers and the remote protocol). */
  get handle(): DomainRef {
    return this.ref;
  }
  getName(): string {
    return this.ref.name;
  }
  getUUIDString(): string {
    return this.ref.uuid;
  }
  /** The running id, or -1 when the domain is not running. */
  getID(): number {
    return this.ref.id;
  }

  private get hv() {
    return this.ctx.driver.hypervisor;
  }
  private op<K extends keyof DomainLifecycle>(name: K, api: string): NonNullable<DomainLifecycle[K]> {
    return method(this.hv.lifecycle, name, api);
  }
  private write<K extends keyof DomainLifecycle>(name: K, api: string): NonNullable<DomainLifecycle[K]> {
    assertWritable(this.ctx.readOnly, api);
    return this.op(name, api);
  }

  async create(flags = 0): Promise<void> {
    // libvirt names the flag-less entry point in its errors (virsh calls it when no flag is set).
    this.ref = await this.write('create', flags ? 'virDomainCreateWithFlags' : 'virDomainCreate')(this.ref, flags);
  }
  async destroy(flags = 0): Promise<void> {
    await this.write('destroy', flags ? 'virDomainDestroyFlags' : 'virDomainDestroy')(this.ref, flags);
    this.ref = { ...this.ref, id: -1 };
  }
  async shutdown(flags = 0): Promise<void> {
    const updated = await this.write('shutdown', flags ? 'virDomainShutdownFlags' : 'virDomainShutdown')(
      this.ref,
      flags,
    );
    if (updated) this.ref = updated;
  }
  async reboot(flags = 0): Promise<void> {
    await this.write('reboot', 'virDomainReboot')(this.ref, flags);
  }
  async reset(flags = 0): Promise<void> {
    await this.write('reset', 'virDomainReset')(this.ref, flags);
  }
  async suspend(): Promise<void> {
    await this.write('suspend', 'virDomainSuspend')(this.ref);
  }
  async resume(): Promise<void> {
    await this.write('resume', 'virDomainResume')(this.ref);
  }
  async undefine(flags = 0): Promise<void> {
    checkFlags(flags, ALL_UNDEFINE_FLAGS, 'virDomainUndefineFlags');
    await this.write('undefine', 'virDomainUndefineFlags')(this.ref, flags);
  }
  async getInfo(): Promise<DomainInfo> {
    return this.op('getInfo', 'virDomainGetInfo')(this.ref);
  }
  async getState(flags = 0): Promise<DomainStateInfo> {
    return this.op('getState', 'virDomainGetState')(this.ref, flags);
  }
  async getAutostart(): Promise<boolean> {
    return this.op('getAutostart', 'virDomainGetAutostart')(this.ref);
  }
  async setAutostart(autostart: boolean): Promise<void> {
    await this.write('setAutostart', 'virDomainSetAutostart')(this.ref, autostart);
  }
  async isActive(): Promise<boolean> {
    return this.op('isActive', 'virDomainIsActive')(this.ref);
  }
  async isPersistent(): Promise<boolean> {
    return this.op('isPersistent', 'virDomainIsPersistent')(this.ref);
  }
  /** virDomainGetSecurityLabel: label '' when the domain has none (for example when it is not running). */
  async getSecurityLabel(): Promise<SecurityLabel> {
    return this.op('getSecurityLabel', 'virDomainGetSecurityLabel')(this.ref);
  }
  /** virDomainGetOSType. */
  async getOSType(): Promise<string> {
    return this.op('getOSType', 'virDomainGetOSType')(this.ref);
  }
  /**
   * virDomainMemoryStats: up to `nrStats` statistics; libvirt asks for none when nrStats is 0 and
   * never for more than the tags it knows (VIR_DOMAIN_MEMORY_STAT_NR, 13 in 9.0).
   */
  async memoryStats(nrStats = 13, flags = 0): Promise<DomainMemoryStat[]> {
    if (nrStats === 0) return [];
    return this.op('memoryStats', 'virDomainMemoryStats')(this.ref, Math.min(nrStats, 13), flags);
  }
  // Tuning parameters, block info, guest clock and file systems (checks in domain-tuning.ts).
  /** virDomainGetMemoryParameters: nparams 0 asks only how many there are. */
  getMemoryParameters(nparams: number, flags = 0): Promise<TypedParameterList> {
    return tune.getParameters(this.ctx, this.ref, 'Memory', nparams, flags);
  }
  setMemoryParameters(params: readonly TypedParameter[], flags = 0): Promise<void> {
    return tune.setParameters(this.ctx, this.ref, 'Memory', params, flags);
  }
  /** virDomainGetBlkioParameters: nparams 0 asks only how many there are. */
  getBlkioParameters(nparams: number, flags = 0): Promise<TypedParameterList> {
    return tune.getParameters(this.ctx, this.ref, 'Blkio', nparams, flags);
  }
  setBlkioParameters(params: readonly TypedParameter[], flags = 0): Promise<void> {
    return tune.setParameters(this.ctx, this.ref, 'Blkio', params, flags);
  }
  /** virDomainGetNumaParameters: nparams 0 asks only how many there are. */
  getNumaParameters(nparams: number, flags = 0): Promise<TypedParameterList> {
    return tune.getParameters(this.ctx, this.ref, 'Numa', nparams, flags);
  }
  setNumaParameters(params: readonly TypedParameter[], flags = 0): Promise<void> {
    return tune.setParameters(this.ctx, this.ref, 'Numa', params, flags);
  }
  getBlockInfo(disk: string, flags = 0): Promise<DomainBlockInfo> {
    return tune.getBlockInfo(this.ctx, this.ref, disk, flags);
  }
  getTime(flags = 0): Promise<DomainTime> {
    return tune.getTime(this.ctx, this.ref, flags);
  }
  setTime(time: DomainTime, flags = 0): Promise<void> {
    return tune.setTime(this.ctx, this.ref, time, flags);
  }
  getFSInfo(flags = 0): Promise<DomainFSInfo[]> {
    return tune.getFSInfo(this.ctx, this.ref, flags);
  }
  /** virDomainGetControlInfo. */
  async getControlInfo(flags = 0): Promise<DomainControlInfo> {
    return this.op('getControlInfo', 'virDomainGetControlInfo')(this.ref, flags);
  }
  /** virDomainGetHostname: libvirt refuses it on read-only connections (it may ask the guest agent). */
  async getHostname(flags = 0): Promise<string> {
    return this.write('getHostname', 'virDomainGetHostname')(this.ref, flags);
  }
  /** virDomainGetMessages: the notes the driver keeps on the domain (taint, deprecated features). */
  async getMessages(flags = 0): Promise<string[]> {
    return this.op('getMessages', 'virDomainGetMessages')(this.ref, flags);
  }
  /** virDomainSetMetadata: type DomainMetadataType; an absent or empty value removes; flags AffectFlags. */
  async setMetadata(type: number, metadata?: string, key?: string, uri?: string, flags = 0): Promise<void> {
    const set = this.write('setMetadata', 'virDomainSetMetadata');
    checkSetMetadataArgs(type, metadata, key, uri);
    await set(this.ref, type, metadata, key, uri, flags);
  }
  /** virDomainGetMetadata: the title, the description or the element in namespace `uri`. */
  async getMetadata(type: number, uri?: string, flags = 0): Promise<string> {
    checkGetMetadataArgs(type, uri, flags);
    return this.op('getMetadata', 'virDomainGetMetadata')(this.ref, type, uri, flags);
  }
  /** virDomainSetMemory(Flags): the balloon target in KiB; flags AffectFlags (LIVE, CONFIG, MAXIMUM). */
  async setMemory(kib: number, flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainSetMemory' : 'virDomainSetMemoryFlags';
    const set = this.write('setMemory', api);
    assertNonZero(kib, 'memory', api);
    // libvirt's drivers read the flag-less call as a change to the running guest.
    await set(this.ref, kib, flags ?? AffectFlags.LIVE);
  }
  /** virDomainSetMaxMemory: the maximum memory in KiB. */
  async setMaxMemory(kib: number): Promise<void> {
    const set = this.write('setMaxMemory', 'virDomainSetMaxMemory');
    assertNonZero(kib, 'memory', 'virDomainSetMaxMemory');
    await set(this.ref, kib);
  }
  /** virDomainSetVcpus(Flags). */
  async setVcpus(count: number, flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainSetVcpus' : 'virDomainSetVcpusFlags';
    const set = this.write('setVcpus', api);
    assertNonZero(count, 'nvcpus', api);
    // VIR_DOMAIN_VCPU_MAXIMUM (4) only changes the persistent definition.
    if (flags !== undefined && flags & 4 && !(flags & AffectFlags.CONFIG)) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.DOMAIN,
        message: "Flag 'VIR_DOMAIN_AFFECT_CONFIG' is required by flag 'VIR_DOMAIN_VCPU_MAXIMUM'",
      });
    }
    // libvirt's drivers read the flag-less call as a change to the running guest.
    await set(this.ref, count, flags ?? AffectFlags.LIVE);
  }
  // ----- IOThreads (checks and calls in domain-iothreads.ts) -----

  private get iothreadCalls(): DomainIOThreadCalls {
    return new DomainIOThreadCalls(this.ctx, this.ref);
  }
  /** virDomainGetIOThreadInfo (AffectFlags). */
  getIOThreadInfo(flags = 0): Promise<IOThreadInfo[]> {
    return this.iothreadCalls.getIOThreadInfo(flags);
  }
  /** virDomainPinIOThread. */
  pinIOThread(iothreadId: number, cpumap: Uint8Array, flags = 0): Promise<void> {
    return this.iothreadCalls.pinIOThread(iothreadId, cpumap, flags);
  }
  /** virDomainAddIOThread. */
  addIOThread(iothreadId: number, flags = 0): Promise<void> {
    return this.iothreadCalls.addIOThread(iothreadId, flags);
  }
  /** virDomainDelIOThread. */
  delIOThread(iothreadId: number, flags = 0): Promise<void> {
    return this.iothreadCalls.delIOThread(iothreadId, flags);
  }
  /** virDomainSetIOThreadParams. */
  setIOThreadParams(iothreadId: number, params: readonly TypedParameter[], flags = 0): Promise<void> {
    return this.iothreadCalls.setIOThreadParams(iothreadId, params, flags);
  }
  // ----- vCPUs, pinning, scheduler (checks and calls in domain-cpu.ts) -----

  private get cpu(): DomainCpuCalls {
    return new DomainCpuCalls(this.ctx, this.ref);
  }
  /** virDomainGetVcpus: `maplen` bytes of CPU map per vCPU (0 for none). */
  getVcpus(maxinfo: number, maplen = 0): Promise<DomainVcpuList> {
    return this.cpu.getVcpus(maxinfo, maplen);
  }
  /** virDomainGetVcpusFlags (AffectFlags, VcpuFlags). */
  getVcpusFlags(flags = 0): Promise<number> {
    return this.cpu.getVcpusFlags(flags);
  }
  /** virDomainGetMaxVcpus: the running guest's maximum. */
  getMaxVcpus(): Promise<number> {
    return this.cpu.getVcpusFlags(AffectFlags.LIVE | VcpuFlags.MAXIMUM, 'virDomainGetMaxVcpus');
  }
  /** virDomainPinVcpu, or virDomainPinVcpuFlags when flags are given. */
  pinVcpu(vcpu: number, cpumap: Uint8Array, flags?: number): Promise<void> {
    return this.cpu.pinVcpu(vcpu, cpumap, flags);
  }
  /** virDomainGetVcpuPinInfo. */
  getVcpuPinInfo(ncpumaps: number, maplen: number, flags = 0): Promise<Uint8Array[]> {
    return this.cpu.getVcpuPinInfo(ncpumaps, maplen, flags);
  }
  /** virDomainPinEmulator. */
  pinEmulator(cpumap: Uint8Array, flags = 0): Promise<void> {
    return this.cpu.pinEmulator(cpumap, flags);
  }
  /** virDomainGetEmulatorPinInfo. */
  getEmulatorPinInfo(maplen: number, flags = 0): Promise<Uint8Array> {
    return this.cpu.getEmulatorPinInfo(maplen, flags);
  }
  /** virDomainGetSchedulerType. */
  getSchedulerType(): Promise<SchedulerType> {
    return this.cpu.getSchedulerType();
  }
  /** virDomainGetSchedulerParameters, or virDomainGetSchedulerParametersFlags when flags are given. */
  getSchedulerParameters(flags?: number): Promise<TypedParameter[]> {
    return this.cpu.getSchedulerParameters(flags);
  }
  /** virDomainSetSchedulerParameters, or virDomainSetSchedulerParametersFlags when flags are given. */
  setSchedulerParameters(params: readonly TypedParameter[], flags?: number): Promise<void> {
    return this.cpu.setSchedulerParameters(params, flags);
  }

  /** virDomainRename: this handle takes the new name. */
  async rename(newName: string, flags = 0): Promise<void> {
    const rename = this.write('rename', 'virDomainRename');
    assertNonEmptyString(newName, 'new_name', 'virDomainRename', ErrorDomain.DOMAIN);
    this.ref = await rename(this.ref, newName, flags);
  }
  /** virDomainIsUpdated: false when the driver does not track it. */
  async isUpdated(): Promise<boolean> {
    const group = this.hv.lifecycle;
    if (!group?.isUpdated) return false;
    return group.isUpdated(this.ref);
  }
  async hasManagedSaveImage(flags = 0): Promise<boolean> {
    const group = this.hv.lifecycle;
    if (!group?.hasManagedSaveImage) return false;
    return group.hasManagedSaveImage(this.ref, flags);
  }

  /** The domain's XML; SECURE includes secrets (refused on read-only connections), INACTIVE the persistent config. */
  async getXmlDesc(flags = 0): Promise<string> {
    checkFlags(flags, ALL_XML_FLAGS, 'virDomainGetXMLDesc');
    const secure = hasFlag(flags, DomainXmlFlags.SECURE);
    if (secure && this.ctx.readOnly) {
      // libvirt words this refusal without the usual "read only access prevents".
      throw new VirError({
        code: ErrorCode.OPERATION_DENIED,
        domain: ErrorDomain.NONE,
        detail: 'virDomainGetXMLDesc with secure flag',
      });
    }
    const def = await this.hv.getDomainXml(this.ref, flags);
    return formatDomainXml(def, {
      inactive: hasFlag(flags, DomainXmlFlags.INACTIVE),
      secure,
      hooks: this.ctx.driver.domainXml?.hooks,
    });
  }

  // ----- devices -----

  /** virDomainAttachDeviceFlags: `xml` is one device element; flags AffectFlags (LIVE, CONFIG). */
  async attachDevice(xml: string, flags = 0): Promise<void> {
    const api = flags ? 'virDomainAttachDeviceFlags' : 'virDomainAttachDevice';
    assertWritable(this.ctx.readOnly, api);
    assertNonEmpty(xml, 'xml', api);
    const attach = method(this.hv.hotplug, 'attachDevice', api);
    await attach(this.ref, parseDeviceXml(xml), flags);
  }
  /** virDomainDetachDeviceFlags: the device named by `xml` (a disk's target, a NIC's MAC). */
  async detachDevice(xml: string, flags = 0): Promise<void> {
    const api = flags ? 'virDomainDetachDeviceFlags' : 'virDomainDetachDevice';
    assertWritable(this.ctx.readOnly, api);
    assertNonEmpty(xml, 'xml', api);
    const detach = method(this.hv.hotplug, 'detachDevice', api);
    await detach(this.ref, parseDeviceXml(xml), flags);
  }

  // ----- save and restore -----

  /** virDomainSaveFlags: the guest's state to `path`; the guest stops. `dxml` replaces the saved definition. */
  async save(path: string, flags = 0, dxml?: string): Promise<void> {
    const api = flags || dxml !== undefined ? 'virDomainSaveFlags' : 'virDomainSave';
    assertWritable(this.ctx.readOnly, api);
    assertNonEmpty(path, 'to', api);
    checkFlags(flags, ALL_SAVE_FLAGS, api);
    const save = method(this.hv.saveRestore, 'save', api);
    await save(this.ref, path, dxml === undefined ? undefined : this.parseDefinition(dxml), flags);
    this.ref = { ...this.ref, id: -1 };
  }
  private parseDefinition(xml: string) {
    const opts = this.ctx.driver.domainXml;
    return parseDomainXml(xml, { hooks: opts?.hooks, defaultArch: opts?.defaultArch });
  }
  /** virDomainManagedSave: saved where the driver keeps it; the next start resumes from it. */
  async managedSave(flags = 0): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virDomainManagedSave');
    checkFlags(flags, ALL_SAVE_FLAGS, 'virDomainManagedSave');
    await method(this.hv.saveRestore, 'managedSave', 'virDomainManagedSave')(this.ref, flags);
    this.ref = { ...this.ref, id: -1 };
  }
  /** virDomainManagedSaveRemove. */
  async managedSaveRemove(flags = 0): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virDomainManagedSaveRemove');
    await method(this.hv.saveRestore, 'managedSaveRemove', 'virDomainManagedSaveRemove')(this.ref, flags);
  }

  // ----- statistics, console, monitor -----

  /** virDomainBlockStats: `disk` is a target (vda) or a source path. */
  async blockStats(disk: string): Promise<BlockStats> {
    // libvirt refuses only a missing path: '' reaches the driver (the sum over all disks, if it has one).
    if (typeof disk !== 'string') assertNonEmpty(disk, 'path', 'virDomainBlockStats');
    return method(this.hv.stats, 'blockStats', 'virDomainBlockStats')(this.ref, disk);
  }
  /** virDomainBlockStatsFlags: the driver's figures by libvirt field name; '' asks for the sum over all disks. */
  async blockStatsFlags(disk: string, flags = 0): Promise<BlockStatsParam[]> {
    return method(this.hv.stats, 'blockStatsFlags', 'virDomainBlockStatsFlags')(this.ref, disk, flags);
  }
  /** virDomainInterfaceStats: `iface` is a host interface name or a MAC address. */
  async interfaceStats(iface: string): Promise<InterfaceStats> {
    // libvirt refuses only a missing name: '' reaches the driver, which knows no such NIC.
    if (typeof iface !== 'string') assertNonEmpty(iface, 'device', 'virDomainInterfaceStats');
    return method(this.hv.stats, 'interfaceStats', 'virDomainInterfaceStats')(this.ref, iface);
  }
  /** virDomainOpenConsole: the guest's console as a byte stream. */
  async openConsole(device?: string, flags = 0): Promise<ConsoleStream> {
    assertWritable(this.ctx.readOnly, 'virDomainOpenConsole');
    return method(this.hv.console, 'open', 'virDomainOpenConsole')(this.ref, device, flags);
  }
  /** virDomainQemuMonitorCommand (libvirt-qemu): raw monitor access, refused on read-only connections. */
  async qemuMonitorCommand(command: string, flags = 0): Promise<string> {
    assertWritable(this.ctx.readOnly, 'virDomainQemuMonitorCommand');
    assertNonEmpty(command, 'cmd', 'virDomainQemuMonitorCommand');
    return method(this.hv.monitor, 'command', 'virDomainQemuMonitorCommand')(this.ref, command, flags);
  }

  // ----- checkpoints (api/checkpoint.ts) -----
  private get checkpointCalls(): DomainCheckpointCalls {
    return new DomainCheckpointCalls(this.ctx, this, () => this.ref);
  }
  async createCheckpointXml(xml: string, flags = 0): Promise<DomainCheckpoint> {
    return this.checkpointCalls.create(xml, flags);
  }
  async listAllCheckpoints(flags = 0): Promise<DomainCheckpoint[]> {
    return this.checkpointCalls.listAll(flags);
  }
  async checkpointLookupByName(name: string, flags = 0): Promise<DomainCheckpoint> {
    return this.checkpointCalls.lookupByName(name, flags);
  }
  /** A handle by name without asking the driver (libvirt's virGetDomainCheckpoint), for servers. */
  checkpointHandle(name: string): DomainCheckpoint {
    return this.checkpointCalls.handle(name);
  }

  // ----- snapshots -----
  private snapshots(api: string) {
    return need(this.hv.snapshots, api);
  }
  async createSnapshotXml(xml: string, flags = 0): Promise<DomainSnapshot> {
    assertWritable(this.ctx.readOnly, 'virDomainSnapshotCreateXML');
    assertNonEmpty(xml, 'xmlDesc', 'virDomainSnapshotCreateXML');
    const allowed = Object.values(SnapshotCreateFlags).reduce((a, b) => a | b, 0);
    checkFlags(flags, allowed, 'virDomainSnapshotCreateXML');
    const group = this.snapshots('virDomainSnapshotCreateXML');
    const snap = await group.create(this.ref, parseDomainSnapshotXml(xml), flags);
    return this.wrapSnapshot(snap);
  }
  async listAllSnapshots(flags = 0): Promise<DomainSnapshot[]> {
    const list = await this.snapshots('virDomainListAllSnapshots').list(this.ref, flags);
    return list.map((s) => this.wrapSnapshot(s));
  }
  async snapshotLookupByName(name: string): Promise<DomainSnapshot> {
    assertNonEmpty(name, 'name', 'virDomainSnapshotLookupByName');
    return this.wrapSnapshot(await this.snapshots('virDomainSnapshotLookupByName').lookup(this.ref, name));
  }
  async snapshotCurrent(): Promise<DomainSnapshot> {
    const group = this.snapshots('virDomainSnapshotCurrent');
    const current = need(group.current, 'virDomainSnapshotCurrent');
    return this.wrapSnapshot(await current.call(group, this.ref));
  }

  private wrapSnapshot(ref: SnapshotRef): DomainSnapshot {
    return new DomainSnapshot(
      {
        getXml: async (flags) => {
          const def = await this.snapshots('virDomainSnapshotGetXMLDesc').getXml(ref, flags);
          return formatDomainSnapshotXml(def);
        },
        revert: async (flags) => {
          assertWritable(this.ctx.readOnly, 'virDomainRevertToSnapshot');
          const { RUNNING, PAUSED } = SnapshotRevertFlags;
          if ((flags & RUNNING) !== 0 && (flags & PAUSED) !== 0) {
            throw new VirError({
              code: ErrorCode.INVALID_ARG,
              domain: ErrorDomain.DOMAIN_SNAPSHOT,
              message:
                "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive",
            });
          }
          const g = this.snapshots('virDomainRevertToSnapshot');
          await need(g.revert, 'virDomainRevertToSnapshot').call(g, ref, flags);
        },
        delete: async (flags) => {
          assertWritable(this.ctx.readOnly, 'virDomainSnapshotDelete');
          const allowed = Object.values(SnapshotDeleteFlags).reduce((a, b) => a | b, 0);
          checkFlags(flags, allowed, 'virDomainSnapshotDelete');
          const g = this.snapshots('virDomainSnapshotDelete');
          await need(g.delete, 'virDomainSnapshotDelete').call(g, ref, flags);
        },
        parent: async () => {
          const g = this.snapshots('virDomainSnapshotGetParent');
          return this.wrapSnapshot(await need(g.getParent, 'virDomainSnapshotGetParent').call(g, ref));
        },
        children: async (flags) => {
          const g = this.snapshots('virDomainSnapshotListAllChildren');
          const list = await need(g.listChildren, 'virDomainSnapshotListAllChildren').call(g, ref, flags);
          return list.map((s) => this.wrapSnapshot(s));
        },
      },
      ref,
      this,
    );
  }
}
