import type { DriverConnection } from '../contract/driver.js';

/** What every object handle (Domain, Network, ...) shares with its Connection. */
export class ConnectionContext {
  constructor(
    readonly driver: DriverConnection,
    readonly readOnly: boolean,
  ) {}
}
