import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/**
 * A parsed libvirt connection URI: `driver[+transport]://[user@][host][:port]/path[?params]`.
 * Query parameters keep their order and may repeat, as libvirt's virURI does.
 */
export interface ConnectUri {
  /** The text as given (after alias resolution). */
  readonly raw: string;
  /** Full scheme, e.g. "qemu+ssh". */
  readonly scheme: string;
  /** The part before '+': the hypervisor driver name. */
  readonly driver: string;
  /** The part after '+', when present: unix, tcp, tls, ssh, libssh, libssh2, ext. */
  readonly transport?: string;
  readonly user?: string;
  readonly host?: string;
  readonly port?: number;
  /** Path including its leading slash ("" when absent). */
  readonly path: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly fragment?: string;
}

/** Query parameters libvirt itself gives meaning to; others are kept and passed to drivers. */
export const KNOWN_URI_PARAMS = [
  'name',
  'command',
  'socket',
  'auth',
  'netcat',
  'keyfile',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'no_verify',
  'no_tty',
  'pkipath',
  'tls_priority',
  'mode',
  'proxy',
  'root',
  'transport',
] as const;
export type KnownUriParam = (typeof KNOWN_URI_PARAMS)[number];

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*$/;

function invalid(uri: string, why: string): VirError {
  return new VirError({
    code: ErrorCode.INVALID_ARG,
    domain: ErrorDomain.URI,
    detail: `Unable to parse URI ${uri}: ${why}`,
  });
}

function decode(uri: string, s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw invalid(uri, `malformed escape in '${s}'`);
  }
}

function decodePath(uri: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalid(uri, `malformed escape in '${s}'`);
  }
}

/** Parse a connection URI; throws VIR_ERR_INVALID_ARG (VIR_FROM_URI) when it is not one. */
export function parseConnectUri(text: string): ConnectUri {
  if (typeof text !== 'string' || text.length === 0) throw invalid(String(text), 'empty URI');
  if (/[\s\0]/.test(text)) throw invalid(text, 'white space or NUL in URI');
  const colon = text.indexOf(':');
  if (colon <= 0) throw invalid(text, 'no scheme');
  const scheme = text.slice(0, colon);
  if (!SCHEME_RE.test(scheme)) throw invalid(text, `bad scheme '${scheme}'`);
  let rest = text.slice(colon + 1);

  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = decodePath(text, rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }

  let user: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  let path = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    path = slash >= 0 ? rest.slice(slash) : '';
    let hostPort = authority;
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = decodePath(text, authority.slice(0, at));
      hostPort = authority.slice(at + 1);
    }
    let portText: string | undefined;
    if (hostPort.startsWith('[')) {
      const close = hostPort.indexOf(']');
      if (close < 0) throw invalid(text, 'unterminated IPv6 address');
      host = hostPort.slice(1, close);
      const after = hostPort.slice(close + 1);
      if (after.startsWith(':')) portText = after.slice(1);
      else if (after !== '') throw invalid(text, `unexpected '${after}' after host`);
    } else {
      const pc = hostPort.lastIndexOf(':');
      if (pc >= 0) {
        portText = hostPort.slice(pc + 1);
        hostPort = hostPort.slice(0, pc);
      }
      host = hostPort === '' ? undefined : decodePath(text, hostPort);
    }
    if (portText !== undefined && portText !== '') {
      if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw invalid(text, `bad port '${portText}'`);
      port = Number(portText);
    }
  } else if (path !== '' && !path.startsWith('/')) {
    // Opaque form such as "test:default" is not a libvirt connection URI.
    throw invalid(text, 'expected "//" after the scheme');
  }
  path = decodePath(text, path);

  const params: Array<readonly [string, string]> = [];
  if (query !== '') {
    for (const part of query.split(/[&;]/)) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const key = decode(text, eq >= 0 ? part.slice(0, eq) : part);
      const value = eq >= 0 ? decode(text, part.slice(eq + 1)) : '';
      params.push([key, value]);
    }
  }
  const plus = scheme.indexOf('+');
  const driver = (plus >= 0 ? scheme.slice(0, plus) : scheme).toLowerCase();
  const transport = plus >= 0 ? scheme.slice(plus + 1).toLowerCase() : undefined;
  return { raw: text, scheme: scheme.toLowerCase(), driver, transport, user, host, port, path, params, fragment };
}

/** Last value of a query parameter, or undefined. */
export function uriParam(uri: ConnectUri, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of uri.params) if (k === name) found = v;
  return found;
}

function encodeParam(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Format back to text in libvirt's form (what `virsh uri` prints). */
export function formatConnectUri(uri: Omit<ConnectUri, 'raw'>): string {
  let s = `${uri.scheme}:`;
  if (uri.host !== undefined || uri.user !== undefined || uri.port !== undefined || uri.path.startsWith('/')) {
    s += '//';
    if (uri.user !== undefined) s += `${encodeURIComponent(uri.user)}@`;
    if (uri.host !== undefined) s += uri.host.includes(':') ? `[${uri.host}]` : uri.host;
    if (uri.port !== undefined) s += `:${uri.port}`;
  }
  s += encodeURI(uri.path);
  if (uri.params.length > 0) s += `?${uri.params.map(([k, v]) => `${encodeParam(k)}=${encodeParam(v)}`).join('&')}`;
  if (uri.fragment !== undefined) s += `#${encodeURIComponent(uri.fragment)}`;
  return s;
}

/** True when a URI names a remote host or transport, so only a remote-capable driver may take it. */
export function isRemoteUri(uri: ConnectUri): boolean {
  return uri.transport !== undefined || (uri.host !== undefined && uri.host !== '');
}
