import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/** The URI used when none is given: TSVIRT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, then the config file. */
export async function defaultUri(
  env: NodeJS.ProcessEnv = process.env,
  configFile?: string,
): Promise<string | undefined> {
  const fromEnv = env.TSVIRT_DEFAULT_URI || env.LIBVIRT_DEFAULT_URI;
  if (fromEnv) return fromEnv;
  const conf = await readClientConfig(configFile ?? clientConfigPath(env));
  return conf.uri_default;
}

/** Path of the client configuration (libvirt.conf's format): $TSVIRT_CONFIG or ~/.config/tsvirt/tsvirt.conf. */
export function clientConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSVIRT_CONFIG) return env.TSVIRT_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'tsvirt', 'tsvirt.conf');
}

export interface ClientConfig {
  uri_default?: string;
  uri_aliases?: string[];
}

/** Read libvirt.conf-style settings (`key = "value"`, `key = [ "a", "b" ]`, `#` comments). */
export async function readClientConfig(path: string): Promise<ClientConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VirError({ code: ErrorCode.READ_FAILED, domain: ErrorDomain.CONF, detail: path, cause: err });
  }
  return parseClientConfig(text, path);
}

export function parseClientConfig(text: string, path = 'config'): ClientConfig {
  const conf: ClientConfig = {};
  const stripped = text.replace(/#[^\n]*/g, '');
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S+)/g;
  let consumed = 0;
  for (let m = re.exec(stripped); m; m = re.exec(stripped)) {
    if (stripped.slice(consumed, m.index).trim() !== '') break;
    consumed = m.index + m[0].length;
    const [, key, raw] = m as unknown as [string, string, string];
    const value = raw.startsWith('[') ? [...raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1] ?? '') : unquote(raw);
    if (key === 'uri_default' && typeof value === 'string') conf.uri_default = value;
    if (key === 'uri_aliases' && Array.isArray(value)) conf.uri_aliases = value;
  }
  if (stripped.slice(consumed).trim() !== '') {
    throw new VirError({
      code: ErrorCode.CONF_SYNTAX,
      domain: ErrorDomain.CONF,
      detail: `${path}: expected key = value`,
    });
  }
  return conf;
}

function unquote(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
}

/** Resolve `name` through `uri_aliases` entries ("alias=uri"); a name with ':' or '/' is never an alias. */
export function resolveAlias(name: string, aliases: readonly string[] | undefined): string {
  if (!aliases || /[:/]/.test(name)) return name;
  for (const entry of aliases) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new VirError({
        code: ErrorCode.CONF_SYNTAX,
        domain: ErrorDomain.CONF,
        detail: `Malformed 'uri_aliases' config entry '${entry}', aliases may only contain 'a-Z, 0-9, _, -'`,
      });
    }
    if (entry.slice(0, eq) === name) return entry.slice(eq + 1);
  }
  return name;
}
