import type { DriverConnection, NetworkDriver, StorageDriver } from '../contract/driver.js';
import { need } from './guards.js';

/** What every object handle (Domain, Network, ...) shares with its Connection. */
export class ConnectionContext {
  constructor(
    readonly driver: DriverConnection,
    readonly readOnly: boolean,
  ) {}

  network(api: string): NetworkDriver {
    return need(this.driver.network, api);
  }

  storage(api: string): StorageDriver {
    return need(this.driver.storage, api);
  }
}
