/**
 * libvirt's secondary drivers: a hypervisor connection that brings no network driver of its
 * own (qemu, lxc) manages the host's virtual networks through the shared network driver, when
 * it is installed. qemu:///system pairs with network:///system, qemu:///session with
 * network:///session, qemu:///embed?root=DIR with network:///embed?root=DIR.
 */
import type { DriverConnection, DriverDescriptor, EventSource } from '../contract/driver.js';
import { DECLINED } from '../contract/driver.js';
import type { ConnectUri } from '../uri/connect-uri.js';
import { formatConnectUri, isRemoteUri, parseConnectUri } from '../uri/connect-uri.js';
import { defaultSearchPaths, loadDriverPackage } from './discovery.js';
import { packageForScheme } from './known-packages.js';
import { type NegotiateOptions, registeredDrivers } from './registry.js';

const SHARED_PATHS = new Set(['/system', '/session', '/embed']);

/** The shared network driver's URI for a hypervisor URI, or undefined when there is none. */
export function secondaryNetworkUri(uri: ConnectUri): ConnectUri | undefined {
  if (isRemoteUri(uri) || uri.driver === 'network' || !SHARED_PATHS.has(uri.path)) return undefined;
  return parseConnectUri(
    formatConnectUri({ scheme: 'network', driver: 'network', path: uri.path, params: uri.params }),
  );
}

async function networkDrivers(options: NegotiateOptions): Promise<DriverDescriptor[]> {
  if (options.drivers) return options.drivers.filter((d) => d.uriSchemes.includes('network'));
  const found = registeredDrivers().filter((d) => d.uriSchemes.includes('network'));
  if (found.length > 0) return found;
  const pkg = packageForScheme('network');
  const d = pkg ? await loadDriverPackage(pkg, defaultSearchPaths(options.searchPaths)) : undefined;
  return d ? [d] : [];
}

/** Open the shared network driver for `uri`; undefined when none is installed or it declines. */
export async function openSecondaryNetwork(
  uri: ConnectUri,
  options: NegotiateOptions,
): Promise<DriverConnection | undefined> {
  const netUri = secondaryNetworkUri(uri);
  if (!netUri) return undefined;
  for (const d of await networkDrivers(options)) {
    const result = await d.open(netUri, options);
    if (result !== DECLINED) return result as DriverConnection;
  }
  return undefined;
}

/** The hypervisor connection with the shared network driver's networks and events added. */
export function withSecondaryNetwork(primary: DriverConnection, secondary: DriverConnection): DriverConnection {
  primary.useNetworkDriver?.(secondary.network);
  const sources = [primary.events, secondary.events].filter((e): e is EventSource => e !== undefined);
  const events: EventSource = {
    subscribe(listener) {
      const offs = sources.map((s) => s.subscribe(listener));
      return () => {
        for (const off of offs) off();
      };
    },
  };
  return Object.assign(Object.create(primary) as DriverConnection, {
    network: secondary.network,
    events,
    async close() {
      await Promise.all([primary.close(), secondary.close()]);
    },
  });
}
