import type { NetworkDriver } from '../contract/driver.js';
import type { NetworkDhcpLease } from '../contract/info.js';
import type { NetworkRef } from '../contract/refs.js';
import { formatNetworkXml } from '../xml/network/index.js';
import { parseNetworkPortXml } from '../xml/networkport/parse.js';
import type { ConnectionContext } from './context.js';
import { assertNonEmpty, assertWritable, method } from './guards.js';
import { NetworkPort } from './network-port.js';
import { normalizeUuid } from './uuid.js';

/** virNetworkXMLFlags. */
export const NetworkXmlFlags = { INACTIVE: 1 << 0 } as const;

/** A virtual network handle, as virNetworkPtr. */
export class Network {
  constructor(
    private readonly ctx: ConnectionContext,
    readonly handle: NetworkRef,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  getUUIDString(): string {
    return this.handle.uuid;
  }

  private op<K extends keyof NetworkDriver>(name: K, api: string): NonNullable<NetworkDriver[K]> {
    return method(this.ctx.driver.network, name, api);
  }
  private write<K extends keyof NetworkDriver>(name: K, api: string): NonNullable<NetworkDriver[K]> {
    assertWritable(this.ctx.readOnly, api);
    return this.op(name, api);
  }

  async create(): Promise<void> {
    return this.write('startNetwork', 'virNetworkCreate')(this.handle);
  }
  async destroy(): Promise<void> {
    return this.write('destroyNetwork', 'virNetworkDestroy')(this.handle);
  }
  async undefine(): Promise<void> {
    return this.write('undefineNetwork', 'virNetworkUndefine')(this.handle);
  }
  async getXmlDesc(flags = 0): Promise<string> {
    const def = await this.op('getNetworkXml', 'virNetworkGetXMLDesc')(this.handle, flags);
    return formatNetworkXml(def, { inactive: (flags & NetworkXmlFlags.INACTIVE) !== 0 });
  }
  async getAutostart(): Promise<boolean> {
    return this.op('getNetworkAutostart', 'virNetworkGetAutostart')(this.handle);
  }
  async setAutostart(autostart: boolean): Promise<void> {
    return this.write('setNetworkAutostart', 'virNetworkSetAutostart')(this.handle, autostart);
  }
  async isActive(): Promise<boolean> {
    return this.op('isNetworkActive', 'virNetworkIsActive')(this.handle);
  }
  async isPersistent(): Promise<boolean> {
    return this.op('isNetworkPersistent', 'virNetworkIsPersistent')(this.handle);
  }
  async getBridgeName(): Promise<string> {
    return this.op('getBridgeName', 'virNetworkGetBridgeName')(this.handle);
  }
  /** virNetworkUpdate: `command`, `section` and `flags` take NetworkUpdateCommand/Section/Flags. */
  async update(command: number, section: number, parentIndex: number, xml: string, flags = 0): Promise<void> {
    assertNonEmpty(xml, 'xml', 'virNetworkUpdate');
    return this.write('updateNetwork', 'virNetworkUpdate')(this.handle, command, section, parentIndex, xml, flags);
  }
  async getDHCPLeases(mac?: string, flags = 0): Promise<NetworkDhcpLease[]> {
    return this.op('getDhcpLeases', 'virNetworkGetDHCPLeases')(this.handle, mac, flags);
  }

  private port(uuid: string): NetworkPort {
    return new NetworkPort(this, this.ctx.driver.network, this.ctx.readOnly, uuid);
  }
  /** virNetworkPortCreateXML: `flags` takes NetworkPortCreateFlags. */
  async createPort(xml: string, flags = 0): Promise<NetworkPort> {
    assertNonEmpty(xml, 'xmldesc', 'virNetworkPortCreateXML');
    const create = this.write('createPort', 'virNetworkPortCreateXML');
    const def = await create(this.handle, parseNetworkPortXml(xml), flags);
    return this.port(def.uuid);
  }
  async listAllPorts(flags = 0): Promise<NetworkPort[]> {
    const defs = await this.op('listPorts', 'virNetworkListAllPorts')(this.handle, flags);
    return defs.map((d) => this.port(d.uuid));
  }
  async lookupPortByUUIDString(uuid: string): Promise<NetworkPort> {
    const canonical = normalizeUuid(uuid, 'virNetworkPortLookupByUUIDString');
    const def = await this.op('lookupPort', 'virNetworkPortLookupByUUID')(this.handle, canonical);
    return this.port(def.uuid);
  }
}
