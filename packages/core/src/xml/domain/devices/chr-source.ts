/**
 * The character device backend shared by serial/parallel/console/channel, smartcard
 * passthrough, redirdev and the rng egd backend: the `type` attribute, <source>(s),
 * <protocol> and <log>.
 */

import { a, onoff, type XmlWriter, yn } from '../../writer.js';
import type { FormatContext } from '../context.js';
import { internalError, unsupported, xmlError } from '../util/errors.js';
import {
  children,
  elementsOf,
  enumAttr,
  firstChild,
  onOffAttr,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from '../util/parse.js';

export const CHR_TYPES = [
  'null',
  'vc',
  'pty',
  'dev',
  'file',
  'pipe',
  'stdio',
  'udp',
  'tcp',
  'unix',
  'spicevmc',
  'spiceport',
  'nmdm',
  'qemu-vdagent',
  'dbus',
] as const;
export type ChrType = (typeof CHR_TYPES)[number];
export const CHR_SOURCE_MODES = ['connect', 'bind'] as const;
export type ChrSourceMode = (typeof CHR_SOURCE_MODES)[number];
export const CHR_TCP_PROTOCOLS = ['raw', 'telnet', 'telnets', 'tls'] as const;
export type ChrTcpProtocol = (typeof CHR_TCP_PROTOCOLS)[number];

export interface ChrReconnect {
  enabled: boolean;
  timeout?: number;
}

export interface ChrSource {
  type: ChrType;
  /** pty, dev, file, pipe, unix. */
  path?: string;
  /** file: append instead of truncating. */
  append?: boolean;
  /** unix and tcp: connect (client) or bind (server). */
  mode?: ChrSourceMode;
  /** tcp. */
  host?: string;
  service?: string;
  tls?: boolean;
  protocol?: ChrTcpProtocol;
  reconnect?: ChrReconnect;
  /** udp. */
  connectHost?: string;
  connectService?: string;
  bindHost?: string;
  bindService?: string;
  /** spiceport, dbus. */
  channel?: string;
  /** nmdm. */
  master?: string;
  slave?: string;
  /** qemu-vdagent and per-source <seclabel> children, kept as written. */
  extra?: XmlElement[];
  log?: { file: string; append?: boolean };
}

function parseReconnect(src: XmlElement): ChrReconnect | undefined {
  const r = firstChild(src, 'reconnect');
  if (!r) return undefined;
  const enabled = yesNoAttr(r, 'enabled');
  if (enabled === undefined) throw xmlError("Missing required attribute 'enabled' in element 'reconnect'");
  const out: ChrReconnect = { enabled };
  if (enabled) {
    const timeout = uintAttr(r, 'timeout');
    if (timeout === undefined) throw xmlError("Missing required attribute 'timeout' in element 'reconnect'");
    out.timeout = timeout;
  }
  return out;
}

/** Parse the backend of a character device element (`type` defaults to pty). */
export function parseChrSource(el: XmlElement, typeAttr = 'type'): ChrSource {
  const typeText = el.attrs[typeAttr];
  let type: ChrType = 'pty';
  if (typeText !== undefined) {
    if (!(CHR_TYPES as readonly string[]).includes(typeText))
      throw xmlError(`unknown type presented to host for character device: ${typeText}`);
    type = typeText as ChrType;
  }
  const src: ChrSource = { type };
  const sources = children(el, 'source');
  if (type === 'udp' ? sources.length > 2 : sources.length > 1) {
    throw xmlError(
      type === 'udp'
        ? 'only two source elements are allowed for character device'
        : 'only one source element is allowed for character device',
    );
  }
  const s = sources[0];
  switch (type) {
    case 'pty':
    case 'dev':
    case 'file':
    case 'pipe':
      if (s) {
        src.path = s.attrs.path;
        if (type === 'file') src.append = onOffAttr(s, 'append');
      }
      break;
    case 'unix':
      src.mode = (s && enumAttr(s, 'mode', CHR_SOURCE_MODES)) || 'connect';
      if (s) {
        src.path = s.attrs.path;
        src.reconnect = parseReconnect(s);
      }
      break;
    case 'tcp': {
      src.mode = (s && enumAttr(s, 'mode', CHR_SOURCE_MODES)) || 'connect';
      if (s) {
        src.host = s.attrs.host;
        src.service = s.attrs.service;
        src.tls = yesNoAttr(s, 'tls');
        src.reconnect = parseReconnect(s);
      }
      const proto = firstChild(el, 'protocol');
      src.protocol = (proto && enumAttr(proto, 'type', CHR_TCP_PROTOCOLS)) || 'raw';
      break;
    }
    case 'udp':
      for (const u of sources) {
        const mode = enumAttr(u, 'mode', CHR_SOURCE_MODES) ?? 'connect';
        if (mode === 'connect' && src.connectHost === undefined && src.connectService === undefined) {
          src.connectHost = u.attrs.host;
          src.connectService = u.attrs.service;
        } else if (mode === 'bind' && src.bindHost === undefined && src.bindService === undefined) {
          src.bindHost = u.attrs.host;
          src.bindService = u.attrs.service;
        }
      }
      break;
    case 'spiceport':
    case 'dbus':
      if (s) src.channel = s.attrs.channel;
      break;
    case 'nmdm':
      if (s) {
        src.master = s.attrs.master;
        src.slave = s.attrs.slave;
      }
      break;
    case 'qemu-vdagent':
      if (s) {
        const kids = elementsOf(s);
        if (kids.length) src.extra = kids;
      }
      break;
    default:
      break;
  }
  if (s && type !== 'qemu-vdagent') {
    const labels = children(s, 'seclabel');
    if (labels.length) src.extra = labels;
  }
  const log = firstChild(el, 'log');
  if (log?.attrs.file !== undefined) src.log = { file: log.attrs.file, append: onOffAttr(log, 'append') };
  return src;
}

/** libvirt's checks on a backend; `pathOptional` for channels whose socket the driver names. */
export function validateChrSource(src: ChrSource, pathOptional: boolean): void {
  switch (src.type) {
    case 'tcp':
      if (!src.host) throw internalError('Missing source host attribute for char device');
      if (!src.service) throw internalError('Missing source service attribute for char device');
      if (src.reconnect?.enabled && src.mode === 'bind')
        throw internalError('chardev reconnect is possible only for connect mode');
      break;
    case 'udp':
      if (!src.connectService) throw internalError('Missing source service attribute for char device');
      break;
    case 'unix':
      if (!src.path && !pathOptional) throw internalError('Missing source path attribute for char device');
      if (src.reconnect?.enabled && src.mode === 'bind')
        throw internalError('chardev reconnect is possible only for connect mode');
      break;
    case 'dev':
    case 'file':
    case 'pipe':
      if (!src.path) throw internalError('Missing source path attribute for char device');
      break;
    case 'spiceport':
      if (!src.channel) throw unsupported('Missing source channel attribute for char device');
      break;
    case 'nmdm':
      if (!src.master !== !src.slave)
        throw internalError('Should define both master and slave path attributes for nmdm device');
      break;
    default:
      break;
  }
}

function writeSourceWithExtras(w: XmlWriter, attrs: string, src: ChrSource, reconnect?: ChrReconnect): void {
  const kids = src.extra ?? [];
  if (!reconnect && kids.length === 0) {
    w.empty('source', attrs);
    return;
  }
  w.open('source', attrs);
  if (reconnect)
    w.empty(
      'reconnect',
      yn('enabled', reconnect.enabled) + a('timeout', reconnect.enabled ? reconnect.timeout : undefined),
    );
  for (const k of kids) w.raw(k);
  w.close('source');
}

/** Write the <source>(s), <protocol> and <log> of a backend (the `type` attribute is the caller's). */
export function formatChrSource(w: XmlWriter, src: ChrSource, ctx: FormatContext): void {
  switch (src.type) {
    case 'pty':
    case 'dev':
    case 'file':
    case 'pipe':
      // A pty's path is allocated at start-up, so it is live data.
      if (src.path !== undefined && !(src.type === 'pty' && ctx.inactive)) {
        writeSourceWithExtras(
          w,
          a('path', src.path) + onoff('append', src.type === 'file' ? src.append : undefined),
          src,
        );
      }
      break;
    case 'nmdm':
      w.empty('source', a('master', src.master) + a('slave', src.slave));
      break;
    case 'udp':
      if (src.bindHost !== undefined || src.bindService !== undefined) {
        w.empty('source', ` mode='bind'${a('host', src.bindHost)}${a('service', src.bindService)}`);
      }
      if (src.connectHost !== undefined || src.connectService !== undefined) {
        w.empty('source', ` mode='connect'${a('host', src.connectHost)}${a('service', src.connectService)}`);
      }
      break;
    case 'tcp':
      writeSourceWithExtras(
        w,
        a('mode', src.mode ?? 'connect') + a('host', src.host) + a('service', src.service) + yn('tls', src.tls),
        src,
        src.reconnect,
      );
      w.empty('protocol', a('type', src.protocol ?? 'raw'));
      break;
    case 'unix':
      if (src.path !== undefined)
        writeSourceWithExtras(w, a('mode', src.mode ?? 'connect') + a('path', src.path), src, src.reconnect);
      break;
    case 'spiceport':
    case 'dbus':
      if (src.channel !== undefined) w.empty('source', a('channel', src.channel));
      break;
    case 'qemu-vdagent':
      if (src.extra?.length) {
        w.open('source');
        for (const k of src.extra) w.raw(k);
        w.close('source');
      }
      break;
    default:
      break;
  }
  if (src.log) w.empty('log', a('file', src.log.file) + onoff('append', src.log.append));
}
