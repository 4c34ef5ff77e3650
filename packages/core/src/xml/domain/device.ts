/**
 * One device element on its own (virDomainDeviceDefParse): what attach-device and
 * detach-device take. It is parsed exactly as inside <devices>, so the result is the same
 * typed model the domain definition holds.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { parseXml } from '../adapter.js';
import { XmlWriter } from '../writer.js';
import type { ParseContext } from './context.js';
import type { DiskDef } from './devices/disk.js';
import { type DomainDevices, emptyDevices, formatDevices, parseDevices } from './devices/index.js';
import type { InterfaceDef } from './devices/interface.js';
import type { DomainDef } from './types.js';

/** A parsed device: the DomainDevices list it belongs to and the device itself. */
export type DeviceDef =
  | { readonly kind: 'disks'; readonly device: DiskDef }
  | { readonly kind: 'interfaces'; readonly device: InterfaceDef }
  | {
      readonly kind: Exclude<keyof DomainDevices, 'disks' | 'interfaces' | 'emulator' | 'raw'>;
      readonly device: unknown;
    };

export function parseDeviceXml(xml: string, options: { inactive?: boolean } = {}): DeviceDef {
  const el = parseXml(xml, { documentName: 'device_definition', domain: ErrorDomain.DOMAIN });
  const ctx: ParseContext = {
    flags: options.inactive ? { inactive: true } : {},
    inactive: options.inactive === true,
    randomBytes: (n) => new Uint8Array(nodeRandomBytes(n)),
    uuidGenerated: false,
  };
  const holder = { devices: undefined } as unknown as DomainDef;
  parseDevices({ name: 'domain', attrs: {}, nodes: [{ name: 'devices', attrs: {}, nodes: [el] }] }, holder, ctx);
  for (const [kind, list] of Object.entries(holder.devices)) {
    if (Array.isArray(list) && list.length === 1) return { kind, device: list[0] } as DeviceDef;
  }
  throw new VirError({
    code: ErrorCode.XML_ERROR,
    domain: ErrorDomain.DOMAIN,
    detail: `unknown device type '${el.name}'`,
  });
}

/** One device element as XML (what a remote client sends for attach-device and detach-device). */
export function formatDeviceXml(def: DeviceDef): string {
  const devices = emptyDevices();
  const list = devices[def.kind as keyof DomainDevices];
  if (!Array.isArray(list)) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.DOMAIN,
      detail: `cannot format a lone '${def.kind}' device`,
    });
  }
  (list as unknown[]).push(def.device);
  // A holder that is not hvm, so that no implicit console is added next to a serial port.
  const holder = { devices, os: { type: 'exe' } } as unknown as DomainDef;
  const w = new XmlWriter();
  formatDevices(w, holder, { inactive: false, secure: true, migratable: false });
  const lines = w.out.split('\n').filter((l) => l !== '');
  return `${lines
    .slice(1, -1)
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')}\n`;
}
