import type { NetworkDriver } from '../contract/driver.js';
import type { NetworkRef } from '../contract/refs.js';
import { formatNetworkXml } from '../xml/network/index.js';
import type { ConnectionContext } from './context.js';
import { assertWritable, method } from './guards.js';

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

  create(): Promise<void> {
    return this.write('startNetwork', 'virNetworkCreate')(this.handle);
  }
  destroy(): Promise<void> {
    return this.write('destroyNetwork', 'virNetworkDestroy')(this.handle);
  }
  undefine(): Promise<void> {
    return this.write('undefineNetwork', 'virNetworkUndefine')(this.handle);
  }
  async getXmlDesc(flags = 0): Promise<string> {
    const def = await this.op('getNetworkXml', 'virNetworkGetXMLDesc')(this.handle, flags);
    return formatNetworkXml(def, { inactive: (flags & NetworkXmlFlags.INACTIVE) !== 0 });
  }
  getAutostart(): Promise<boolean> {
    return this.op('getNetworkAutostart', 'virNetworkGetAutostart')(this.handle);
  }
  setAutostart(autostart: boolean): Promise<void> {
    return this.write('setNetworkAutostart', 'virNetworkSetAutostart')(this.handle, autostart);
  }
  isActive(): Promise<boolean> {
    return this.op('isNetworkActive', 'virNetworkIsActive')(this.handle);
  }
  isPersistent(): Promise<boolean> {
    return this.op('isNetworkPersistent', 'virNetworkIsPersistent')(this.handle);
  }
  getBridgeName(): Promise<string> {
    return this.op('getBridgeName', 'virNetworkGetBridgeName')(this.handle);
  }
}
