import type { NetworkDriver } from '../contract/driver.js';
import { formatNetworkPortXml } from '../xml/networkport/format.js';
import type { NetworkPortDef } from '../xml/networkport/types.js';
import { assertWritable, method } from './guards.js';
import type { Network } from './network.js';

/** virNetworkPortCreateFlags. */
export const NetworkPortCreateFlags = { RECLAIM: 1 << 0, VALIDATE: 1 << 1 } as const;

/** A port of a virtual network, as virNetworkPortPtr (libvirt 5.5+). */
export class NetworkPort {
  constructor(
    private readonly network: Network,
    private readonly driver: NetworkDriver | undefined,
    private readonly readOnly: boolean,
    readonly uuid: string,
  ) {}

  getNetwork(): Network {
    return this.network;
  }
  getUUIDString(): string {
    return this.uuid;
  }
  /** The port's definition as the network driver holds it now. */
  async getDef(): Promise<NetworkPortDef> {
    return method(this.driver, 'lookupPort', 'virNetworkPortGetXMLDesc')(this.network.handle, this.uuid);
  }
  async getXMLDesc(_flags = 0): Promise<string> {
    return formatNetworkPortXml(await this.getDef());
  }
  async delete(flags = 0): Promise<void> {
    assertWritable(this.readOnly, 'virNetworkPortDelete');
    return method(this.driver, 'deletePort', 'virNetworkPortDelete')(this.network.handle, this.uuid, flags);
  }
}
