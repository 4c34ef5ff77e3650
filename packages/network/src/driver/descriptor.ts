/**
 * The driver descriptor: network:///system (libvirt's system paths, needs root),
 * network:///session (the user's paths) and network:///embed?root=DIR (everything under DIR).
 * OpenOptions.config may set `netns` (run every host command in that network namespace) and
 * `firewallBackend` ('nftables', the default as in libvirt, or 'iptables'), and `warn` (a function
 * that receives warnings, e.g. a tc fallback on a kernel without sfq; default process.emitWarning).
 */
import {
  CONTRACT_VERSION,
  type ConnectUri,
  DECLINED,
  type DriverDescriptor,
  type DriverEvent,
  ErrorCode,
  ErrorDomain,
  type OpenOptions,
  uriParam,
  VirError,
} from '@tsvirt/core';
import type { FirewallBackend } from '../firewall/types.js';
import { NetworkConnection } from './connection.js';
import { Host } from './host.js';
import { HostNetworks } from './networks.js';
import { type DriverPaths, embedPaths, sessionPaths, systemPaths } from './paths.js';
import { NetworkStore } from './store.js';

interface DriverInstance {
  networks: HostNetworks;
  listeners: Set<(e: DriverEvent) => void>;
  refs: number;
}

/** One driver per tree and namespace in a process, shared by its connections (as one daemon). */
const instances = new Map<string, Promise<DriverInstance>>();

function invalidUri(detail: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.NETWORK, detail });
}

function pathsFor(uri: ConnectUri, systemRoot: unknown): DriverPaths {
  if (uri.path === '/system') {
    if (systemRoot === undefined) return systemPaths();
    if (typeof systemRoot !== 'string' || !systemRoot.startsWith('/')) {
      throw invalidUri(`root path '${String(systemRoot)}' must be absolute`);
    }
    return systemPaths(systemRoot);
  }
  if (uri.path === '/session') return sessionPaths();
  if (uri.path === '/embed') {
    const root = uriParam(uri, 'root');
    if (!root) throw invalidUri('root parameter is required for network:///embed');
    if (!root.startsWith('/')) throw invalidUri(`root path '${root}' must be absolute`);
    return embedPaths(root);
  }
  throw invalidUri(`unexpected network URI path '${uri.path}', try network:///system`);
}

type Warn = (message: string) => void;
const emitWarning: Warn = (message) => process.emitWarning(message, { code: 'TSVIRT_NETWORK' });

async function createInstance(
  paths: DriverPaths,
  host: Host,
  backend: FirewallBackend,
  warn: Warn,
): Promise<DriverInstance> {
  const store = new NetworkStore(paths);
  await store.load();
  const listeners = new Set<(e: DriverEvent) => void>();
  const networks = new HostNetworks(
    store,
    { host, dnsmasq: { dnsmasqDir: paths.dnsmasqDir, pidDir: paths.pidDir }, firewallBackend: backend, warn },
    (e) => {
      for (const l of listeners) l(e);
    },
  );
  await networks.reconcile();
  await networks.autostart();
  return { networks, listeners, refs: 0 };
}

export const driver: DriverDescriptor = {
  contractVersion: CONTRACT_VERSION,
  name: 'network',
  uriSchemes: ['network'],
  localOnly: true,
  embeddable: true,
  async open(uri: ConnectUri, options: OpenOptions) {
    if (uri.driver !== 'network' || uri.host !== undefined || uri.transport !== undefined) return DECLINED;
    // config.systemRoot: network:///system's paths under another prefix, as for qemu:///system.
    const paths = pathsFor(uri, options.config?.systemRoot);
    const netns = options.config?.netns as string | undefined;
    const backend = (options.config?.firewallBackend as FirewallBackend | undefined) ?? 'nftables';
    const key = JSON.stringify([paths, netns ?? '', backend]);
    let pending = instances.get(key);
    if (!pending) {
      const warn = typeof options.config?.warn === 'function' ? (options.config.warn as Warn) : emitWarning;
      pending = createInstance(paths, new Host(netns), backend, warn);
      instances.set(key, pending);
      pending.catch(() => instances.delete(key));
    }
    const inst = await pending;
    inst.refs++;
    const subscribe = (l: (e: DriverEvent) => void) => {
      inst.listeners.add(l);
      return () => inst.listeners.delete(l);
    };
    return new NetworkConnection(inst.networks, uri.raw, subscribe, () => {
      if (--inst.refs === 0 && instances.get(key) === pending) instances.delete(key);
    });
  },
};
