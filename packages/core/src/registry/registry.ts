import { DECLINED, type DriverConnection, type DriverDescriptor, type OpenOptions } from '../contract/driver.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { type ConnectUri, isRemoteUri } from '../uri/connect-uri.js';
import { assertDescriptor, defaultSearchPaths, loadDriverPackage } from './discovery.js';
import { packageForScheme, REMOTE_PACKAGE } from './known-packages.js';

/**
 * Registered drivers live on globalThis under a Symbol.for key, so a driver registering itself
 * with one loaded copy of core is seen by every other copy.
 */
const REGISTRY_KEY = Symbol.for('tsvirt.driverRegistry');
type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: DriverDescriptor[] };

function registered(): DriverDescriptor[] {
  const g = globalThis as GlobalWithRegistry;
  g[REGISTRY_KEY] ??= [];
  return g[REGISTRY_KEY];
}

/** Register a driver (third-party drivers call this; installed @tsvirt/driver-* are found lazily). */
export function registerDriver(descriptor: DriverDescriptor): void {
  assertDescriptor(descriptor, 'registerDriver()');
  const list = registered();
  if (!list.includes(descriptor)) list.push(descriptor);
}

export function unregisterDriver(descriptor: DriverDescriptor): void {
  const list = registered();
  const i = list.indexOf(descriptor);
  if (i >= 0) list.splice(i, 1);
}

export function registeredDrivers(): readonly DriverDescriptor[] {
  return [...registered()];
}

export interface NegotiateOptions extends OpenOptions {
  /** Extra directories to search for driver packages. */
  readonly searchPaths?: readonly string[];
  /** Only these drivers are tried (no registry, no discovery): for tests and embedding. */
  readonly drivers?: readonly DriverDescriptor[];
}

/** May this driver be offered this URI, by its local/remote restrictions and schemes? */
function eligible(d: DriverDescriptor, uri: ConnectUri): boolean {
  const remote = isRemoteUri(uri);
  if (d.localOnly && remote) return false;
  if (d.remoteOnly) return remote;
  if (remote) return false; // a URI naming a host or transport belongs to a remote driver
  return d.uriSchemes.includes(uri.driver);
}

/** Candidate drivers for a URI: registered ones first, then any installed package for it. */
async function candidates(uri: ConnectUri, options: NegotiateOptions): Promise<DriverDescriptor[]> {
  if (options.drivers) return [...options.drivers];
  const list = [...registered()];
  const searchPaths = defaultSearchPaths(options.searchPaths);
  const wanted = isRemoteUri(uri) ? [REMOTE_PACKAGE] : [packageForScheme(uri.driver)].filter((p): p is string => !!p);
  for (const pkg of wanted) {
    const d = await loadDriverPackage(pkg, searchPaths);
    if (d && !list.some((x) => x.name === d.name)) {
      registerDriver(d);
      list.push(d);
    }
  }
  return list;
}

/**
 * libvirt's open rule: each eligible driver answers DECLINED (try the next), a connection
 * (done), or throws (stop with that error).
 */
export async function negotiateOpen(
  uri: ConnectUri,
  options: NegotiateOptions = {},
): Promise<{ driver: DriverDescriptor; connection: DriverConnection }> {
  const drivers = await candidates(uri, options);
  for (const d of drivers) {
    if (!eligible(d, uri)) continue;
    const result = await d.open(uri, options);
    if (result !== DECLINED) return { driver: d, connection: result as DriverConnection };
  }
  throw noDriverError(uri);
}

function noDriverError(uri: ConnectUri): VirError {
  const pkg = isRemoteUri(uri) ? REMOTE_PACKAGE : packageForScheme(uri.driver);
  const hint = pkg ? ` (install ${pkg})` : '';
  return new VirError({
    code: ErrorCode.NO_CONNECT,
    domain: ErrorDomain.NONE,
    message: `no connection driver available for ${uri.raw}${hint}`,
  });
}
