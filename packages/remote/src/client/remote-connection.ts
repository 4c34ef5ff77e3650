import type { InterfaceDriver } from '@tsvirt/core';
import {
  type ConnectUri,
  type DomainXmlOptions,
  type DriverConnection,
  ErrorCode,
  ErrorDomain,
  formatConnectUri,
  type HypervisorDriver,
  type NetworkDriver,
  parseCapabilitiesXml,
  type StorageDriver,
  VirError,
} from '@tsvirt/core';
import { DrvFeature } from '../protocol/procedures.js';
import { AuthType, ConnectOpenFlags } from '../rpc/constants.js';
import { RemoteEvents } from './remote-events.js';
import { remoteHypervisor, remoteNetworks, remoteStorage } from './remote-groups.js';
import { remoteInterfaces } from './remote-interfaces.js';
import { type ProcedureCaller, type QemuCaller, RemoteProgram } from './remote-program.js';
import { remoteConsole, remoteVolumeStreams } from './remote-stream-groups.js';
import { type CallOptions, type CloseListener, type KeepaliveSettings, RpcClient } from './rpc-client.js';
import { type Endpoint, endpointFor, openStream } from './transport.js';

/** URI parameters the remote driver consumes itself; every other one is passed on to the server. */
const CLIENT_ONLY_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'auth',
  'netcat',
  'keyfile',
  'sshauth',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'tls_priority',
  'mode',
  'proxy',
]);

/**
 * The URI the server should open, as libvirt's remote driver derives it: the `name` parameter if
 * given, else the URI without transport, user, host, port and client-only parameters
 * (`test+tcp://host:1234/default` → `test:///default`). `remote://` URIs send none: the server
 * picks its default.
 */
export function serverUri(uri: ConnectUri): string | undefined {
  const named = uri.params.filter(([k]) => k === 'name').at(-1);
  if (named) return named[1];
  if (uri.driver === 'remote') return undefined;
  return formatConnectUri({
    scheme: uri.driver,
    driver: uri.driver,
    path: uri.path || '/',
    params: uri.params.filter(([k]) => !CLIENT_ONLY_PARAMS.has(k)),
    fragment: uri.fragment,
  });
}

export interface RemoteOpenOptions extends CallOptions {
  readOnly?: boolean;
  /** Milliseconds to wait for the socket to connect (default 30 s). */
  connectTimeoutMs?: number;
  /** Client keepalive (libvirt's default: interval 5 s, count 5; interval 0 turns it off). */
  keepalive?: Partial<KeepaliveSettings>;
}

/** libvirt's client defaults (virsh's -k/-K, libvirt.conf keepalive_interval/keepalive_count). */
export const DEFAULT_KEEPALIVE: KeepaliveSettings = { interval: 5, count: 5 };

/** Run REMOTE_PROC_AUTH_LIST and accept only the `none` type. */
async function authenticate(program: RemoteProgram, ep: Endpoint): Promise<void> {
  const types = await program.call('AUTH_LIST', undefined);
  if (types.length === 0 || types.includes(AuthType.NONE)) return;
  const names = types.map((t) => (t === AuthType.SASL ? 'sasl' : t === AuthType.POLKIT ? 'polkit' : `type ${t}`));
  throw new VirError({
    code: ErrorCode.AUTH_UNAVAILABLE,
    domain: ErrorDomain.AUTH,
    message: `authentication unavailable: the server at ${ep.label} requires ${names.join(', ')} authentication, which @tsvirt/remote does not support yet (only 'none')`,
  });
}

/** Open a connection to a libvirt daemon and return it as a tsvirt driver connection. */
export async function openRemote(uri: ConnectUri, options: RemoteOpenOptions = {}): Promise<DriverConnection> {
  const readOnly = options.readOnly === true;
  const name = serverUri(uri);
  const ep = endpointFor(uri, readOnly, name ?? '');
  const stream = await openStream(ep, options.connectTimeoutMs);
  const rpc = new RpcClient(stream, ep.label);
  const program = new RemoteProgram(rpc, { timeoutMs: options.timeoutMs });
  try {
    await authenticate(program, ep);
    await program.call('CONNECT_OPEN', { name, flags: readOnly ? ConnectOpenFlags.RO : 0 });
    // As virsh: ask whether the server speaks the keepalive program, and if so start pinging it.
    // A server too old to know the question answers with an error: no keepalive then.
    const keepalive = await program
      .call('CONNECT_SUPPORTS_FEATURE', DrvFeature.PROGRAM_KEEPALIVE)
      .catch((err: unknown) => {
        if (!rpc.isOpen) throw err;
        return false;
      });
    if (keepalive) {
      rpc.startKeepalive({
        interval: options.keepalive?.interval ?? DEFAULT_KEEPALIVE.interval,
        count: options.keepalive?.count ?? DEFAULT_KEEPALIVE.count,
      });
    }
    const type = await program.call('CONNECT_GET_TYPE', undefined);
    return new RemoteConnection(rpc, program, type, formatConnectUri(uri), await serverDefaultArch(program));
  } catch (err) {
    await rpc.close();
    throw err;
  }
}

/**
 * The architecture the server gives a domain whose <os><type> has none: libvirt takes it from
 * the driver's capabilities, so it is the server's to decide, not the client's (core parses the
 * XML on the client before the define goes out). Undefined when the capabilities cannot be read.
 */
async function serverDefaultArch(program: RemoteProgram): Promise<string | undefined> {
  try {
    const caps = parseCapabilitiesXml(await program.call('CONNECT_GET_CAPABILITIES', undefined));
    return caps.guests[0]?.arch.name;
  } catch {
    return undefined;
  }
}

/** A DriverConnection whose methods are remote procedure calls. */
export class RemoteConnection implements DriverConnection {
  readonly hypervisor: HypervisorDriver;
  readonly network: NetworkDriver;
  readonly storage: StorageDriver;
  readonly interfaces: InterfaceDriver;
  readonly events: RemoteEvents;
  readonly domainXml: DomainXmlOptions;
  private closed = false;

  constructor(
    readonly rpc: RpcClient,
    readonly program: RemoteProgram,
    private readonly type: string,
    private readonly uri: string,
    defaultArch?: string,
  ) {
    this.domainXml = { defaultArch };
    const c = program.call.bind(program) as ProcedureCaller;
    this.hypervisor = {
      ...remoteHypervisor(c, () => this.type, program.callQemu.bind(program) as QemuCaller),
      console: remoteConsole(rpc),
    };
    this.network = remoteNetworks(c);
    this.interfaces = remoteInterfaces(c);
    this.storage = { ...remoteStorage(c), ...remoteVolumeStreams(rpc) };
    this.events = new RemoteEvents(rpc, c);
  }

  getUri(): string {
    return this.uri;
  }

  isAlive(): boolean {
    return this.rpc.isOpen;
  }

  /** virConnectRegisterCloseCallback: told once when the connection drops or is closed. */
  registerCloseCallback(listener: CloseListener): () => void {
    return this.rpc.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.rpc.isOpen) {
        // A relay (virt-ssh-helper) may exit as soon as the daemon hangs up, taking the reply
        // with it: losing the connection while closing it is not a failure.
        await this.program.call('CONNECT_CLOSE', undefined).catch((err: unknown) => {
          if (this.rpc.isOpen) throw err;
        });
      }
    } finally {
      await this.rpc.close();
    }
  }
}
