/** One open connection of the network driver (network:///system, /session, /embed?root=DIR). */
import { hostname } from 'node:os';
import {
  type DriverConnection,
  type DriverEvent,
  ErrorCode,
  ErrorDomain,
  type EventSource,
  type HypervisorDriver,
  VirError,
} from '@tsvirt/core';
import type { HostNetworks } from './networks.js';

/** libvirt's virtnetworkd answers no hypervisor calls beyond the basics. */
function networkOnlyHypervisor(): HypervisorDriver {
  const noSupport = (fn: string) => new VirError({ code: ErrorCode.NO_SUPPORT, domain: ErrorDomain.NONE, detail: fn });
  return {
    getType: () => 'network',
    getVersion: async () => 0,
    getHostname: async () => hostname(),
    getCapabilities: async () => {
      throw noSupport('virConnectGetCapabilities');
    },
    listDomains: async () => [],
    lookupDomain: async () => {
      throw new VirError({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.NONE });
    },
    getDomainXml: async () => {
      throw new VirError({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.NONE });
    },
  };
}

export class NetworkConnection implements DriverConnection {
  readonly hypervisor = networkOnlyHypervisor();
  readonly events: EventSource;
  private closed = false;

  constructor(
    readonly network: HostNetworks,
    private readonly uri: string,
    subscribe: (listener: (e: DriverEvent) => void) => () => void,
    private readonly onClose: () => void,
  ) {
    this.events = { subscribe };
  }

  getUri(): string {
    return this.uri;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
