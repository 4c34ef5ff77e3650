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
import { AuthType, ConnectOpenFlags } from '../rpc/constants.js';
import { RemoteEvents } from './remote-events.js';
import { remoteHypervisor, remoteNetworks, remoteStorage } from './remote-groups.js';
import { type ProcedureCaller, RemoteProgram } from './remote-program.js';
import { type CallOptions, RpcClient } from './rpc-client.js';
import { type Endpoint, endpointFor, openSocket } from './transport.js';

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
}

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
  const ep = endpointFor(uri, readOnly);
  const socket = await openSocket(ep, options.connectTimeoutMs);
  const rpc = new RpcClient(socket, ep.label);
  const program = new RemoteProgram(rpc, { timeoutMs: options.timeoutMs });
  try {
    await authenticate(program, ep);
    await program.call('CONNECT_OPEN', { name: serverUri(uri), flags: readOnly ? ConnectOpenFlags.RO : 0 });
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
    this.hypervisor = remoteHypervisor(c, () => this.type);
    this.network = remoteNetworks(c);
    this.storage = remoteStorage(c);
    this.events = new RemoteEvents(rpc, c);
  }

  getUri(): string {
    return this.uri;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.rpc.isOpen) await this.program.call('CONNECT_CLOSE', undefined);
    } finally {
      await this.rpc.close();
    }
  }
}
