import type { DriverDescriptor, OpenOptions } from '../contract/driver.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { negotiateOpen } from '../registry/registry.js';
import { openSecondaryNetwork, withSecondaryNetwork } from '../registry/secondary.js';
import { parseConnectUri } from '../uri/connect-uri.js';
import { clientConfigPath, defaultUri, readClientConfig, resolveAlias } from '../uri/default-uri.js';
import { Connection } from './connection.js';

export interface ConnectOptions extends OpenOptions {
  /** Extra directories searched for installed driver packages. */
  readonly searchPaths?: readonly string[];
  /** Only these drivers are tried: for embedding and tests. */
  readonly drivers?: readonly DriverDescriptor[];
  /** Client configuration file with uri_default / uri_aliases (default: ~/.config/tsvirt/tsvirt.conf). */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Open a connection, as virConnectOpen: the URI (or an alias of one) from the argument, else
 * TSVIRT_DEFAULT_URI / LIBVIRT_DEFAULT_URI / uri_default; each eligible driver is asked in turn.
 */
export async function connect(uri?: string, options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const configFile = options.configFile ?? clientConfigPath(env);
  let text = uri;
  if (text === undefined || text === '') text = await defaultUri(env, configFile);
  if (text === undefined || text === '') {
    throw new VirError({
      code: ErrorCode.NO_CONNECT,
      domain: ErrorDomain.NONE,
      message: 'no connection URI given and no default URI configured',
    });
  }
  const config = await readClientConfig(configFile);
  const parsed = parseConnectUri(resolveAlias(text, config.uri_aliases));
  const openOptions = { ...options, probing: uri === undefined || uri === '' };
  const { driver, connection } = await negotiateOpen(parsed, openOptions);
  const shared = connection.network
    ? undefined
    : await openSecondaryNetwork(parsed, openOptions).catch(() => undefined);
  if (!shared && !connection.network) connection.useNetworkDriver?.(undefined);
  const composed = shared ? withSecondaryNetwork(connection, shared) : connection;
  return new Connection(parsed, driver, composed, options.readOnly ?? false);
}
