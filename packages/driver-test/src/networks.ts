import {
  ErrorCode,
  ErrorDomain,
  type NetworkDef,
  type NetworkDriver,
  NetworkEventType,
  type NetworkLookup,
  type NetworkRef,
  NetworkUpdateFlags,
  objectMatchesListFlags,
  VirError,
} from '@tsvirt/core';
import { applyNetworkUpdate } from '@tsvirt/network';
import { checkFlags, testError } from './errors.js';
import type { TestNetwork, TestState } from './state.js';

const refOf = (n: TestNetwork): NetworkRef => ({ name: n.def.name, uuid: n.def.uuid });

/** Virtual networks of the test driver: bookkeeping only, nothing touches the host. */
export class TestNetworks implements NetworkDriver {
  constructor(private readonly state: TestState) {}

  private find(ref: NetworkRef): TestNetwork {
    const n = this.state.networks.find((x) => x.def.uuid === ref.uuid);
    if (!n) throw testError(ErrorCode.NO_NETWORK, `no network with matching uuid '${ref.uuid}'`);
    return n;
  }
  private emit(n: TestNetwork, event: number): void {
    this.state.emit({ kind: 'network-lifecycle', network: refOf(n), event, detail: 0 });
  }

  async listNetworks(flags: number): Promise<NetworkRef[]> {
    return this.state.networks.filter((n) => objectMatchesListFlags(flags, n)).map(refOf);
  }

  async lookupNetwork(by: NetworkLookup): Promise<NetworkRef> {
    const byName = 'name' in by;
    const n = this.state.networks.find((x) => (byName ? x.def.name === by.name : x.def.uuid === by.uuid));
    if (!n) {
      const what = byName ? `name '${by.name}'` : `uuid '${by.uuid}'`;
      throw testError(ErrorCode.NO_NETWORK, `no network with matching ${what}`);
    }
    return refOf(n);
  }

  async getNetworkXml(ref: NetworkRef, flags: number): Promise<NetworkDef> {
    checkFlags(flags, 0, 'testNetworkGetXMLDesc');
    const n = this.find(ref);
    return (flags & 1) !== 0 && n.newDef ? n.newDef : n.def;
  }

  /** A new network must not reuse another's name, nor its UUID under another name. */
  private existing(def: NetworkDef): TestNetwork | undefined {
    const sameUuid = this.state.networks.find((x) => x.def.uuid === def.uuid);
    if (sameUuid && sameUuid.def.name !== def.name) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.NETWORK,
        detail: `network '${sameUuid.def.name}' is already defined with uuid ${def.uuid}`,
      });
    }
    const sameName = this.state.networks.find((x) => x.def.name === def.name);
    if (sameName && sameName !== sameUuid) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.NETWORK,
        detail: `network '${def.name}' already exists with uuid ${sameName.def.uuid}`,
      });
    }
    return sameUuid;
  }

  async defineNetwork(def: NetworkDef): Promise<NetworkRef> {
    const found = this.existing(def);
    if (found) {
      if (found.active) found.newDef = def;
      else found.def = def;
      found.persistent = true;
      this.emit(found, NetworkEventType.DEFINED);
      return refOf(found);
    }
    const n: TestNetwork = { def, active: false, persistent: true, autostart: false };
    this.state.networks.push(n);
    this.emit(n, NetworkEventType.DEFINED);
    return refOf(n);
  }

  async createNetwork(def: NetworkDef): Promise<NetworkRef> {
    const found = this.existing(def);
    if (found?.active) {
      throw testError(ErrorCode.OPERATION_INVALID, `Network '${def.name}' is already running`);
    }
    const n: TestNetwork = found ?? { def, active: false, persistent: false, autostart: false };
    if (found) {
      found.newDef = found.def;
      found.def = def;
    } else {
      this.state.networks.push(n);
    }
    n.active = true;
    this.emit(n, NetworkEventType.STARTED);
    return refOf(n);
  }

  async undefineNetwork(ref: NetworkRef): Promise<void> {
    const n = this.find(ref);
    if (n.active) throw testError(ErrorCode.OPERATION_INVALID, `Network '${n.def.name}' is still running`);
    this.state.networks.splice(this.state.networks.indexOf(n), 1);
    this.emit(n, NetworkEventType.UNDEFINED);
  }

  async startNetwork(ref: NetworkRef): Promise<void> {
    const n = this.find(ref);
    if (n.active) throw testError(ErrorCode.OPERATION_INVALID, `Network '${n.def.name}' is already running`);
    n.active = true;
    this.emit(n, NetworkEventType.STARTED);
  }

  /** libvirt's test driver stops a network without checking that it runs (and says so by event). */
  async destroyNetwork(ref: NetworkRef): Promise<void> {
    const n = this.find(ref);
    n.active = false;
    if (n.newDef) {
      n.def = n.newDef;
      n.newDef = undefined;
    }
    this.emit(n, NetworkEventType.STOPPED);
    if (!n.persistent) this.state.networks.splice(this.state.networks.indexOf(n), 1);
  }

  async getNetworkAutostart(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).autostart;
  }
  async setNetworkAutostart(ref: NetworkRef, autostart: boolean): Promise<void> {
    this.find(ref).autostart = autostart;
  }
  async isNetworkActive(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).active;
  }
  async isNetworkPersistent(ref: NetworkRef): Promise<boolean> {
    return this.find(ref).persistent;
  }
  async getBridgeName(ref: NetworkRef): Promise<string> {
    const n = this.find(ref);
    const name = n.def.bridge?.name;
    if (!name) {
      throw testError(ErrorCode.INTERNAL_ERROR, `network '${n.def.name}' does not have a bridge name.`);
    }
    return name;
  }

  /**
   * virNetworkUpdate as libvirt's test driver does it: the definitions change (the network
   * driver's own pure update step), nothing else happens. CURRENT means live when running.
   */
  async updateNetwork(
    ref: NetworkRef,
    command: number,
    section: number,
    parentIndex: number,
    xml: string,
    flags: number,
  ): Promise<void> {
    checkFlags(flags, NetworkUpdateFlags.AFFECT_LIVE | NetworkUpdateFlags.AFFECT_CONFIG, 'testNetworkUpdate');
    const n = this.find(ref);
    let live = (flags & NetworkUpdateFlags.AFFECT_LIVE) !== 0;
    let config = (flags & NetworkUpdateFlags.AFFECT_CONFIG) !== 0;
    if (!live && !config) {
      live = n.active;
      config = !n.active;
    }
    const refuse = (detail: string) =>
      new VirError({ code: ErrorCode.OPERATION_INVALID, domain: ErrorDomain.NETWORK, detail });
    if (live && !n.active) throw refuse('network is not running');
    if (config && !n.persistent) throw refuse('cannot change persistent config of a transient network');
    // No ports in the test driver: no pool device is in use.
    const ctx = { interfaceUse: () => 0 };
    // Both new definitions first: a refusal in either changes nothing.
    const persistentBefore = n.active ? (n.newDef ?? n.def) : n.def;
    const newConfig = config
      ? applyNetworkUpdate(persistentBefore, command, section, parentIndex, xml, ctx)
      : undefined;
    const newLive = live ? applyNetworkUpdate(n.def, command, section, parentIndex, xml, ctx) : undefined;
    if (n.active) {
      // A live-only change must not leak into the persistent definition.
      if (n.persistent && !n.newDef) n.newDef = n.def;
      if (newConfig) n.newDef = newConfig;
      if (newLive) n.def = newLive;
    } else if (newConfig) {
      n.def = newConfig;
    }
  }
}
