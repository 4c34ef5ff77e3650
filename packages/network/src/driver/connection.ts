/** One open connection of the network driver (network:///system, /session, /embed?root=DIR). */
import { arch, hostname } from 'node:os';
import {
  type DriverConnection,
  type DriverEvent,
  ErrorCode,
  ErrorDomain,
  type EventSource,
  type HypervisorDriver,
  parseCapabilitiesXml,
  VirError,
} from '@tsvirt/core';
import type { HostNetworks } from './networks.js';

function hostArch(): string {
  const names: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', ppc64: 'ppc64le' };
  return names[arch()] ?? arch();
}

/** A network connection manages no guests: its "hypervisor" is the host alone, with no domains. */
function networkOnlyHypervisor(): HypervisorDriver {
  return {
    getType: () => 'network',
    getVersion: async () => 0,
    getHostname: async () => hostname(),
    // The host's architecture and no guest types.
    getCapabilities: async () =>
      parseCapabilitiesXml(`<capabilities><host><cpu><arch>${hostArch()}</arch></cpu></host></capabilities>`),
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
