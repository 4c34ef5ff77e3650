/** <adapter> of SCSI pools: a scsi_host by name or parent PCI address, or an fc_host (vHBA) by WWNs. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { attrString, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { formatPciAddress, type PciAddress, parsePciAddress } from '../network/forward.js';
import { attrList, type XmlWriter } from '../writer.js';

export const ADAPTER_TYPES = ['scsi_host', 'fc_host'] as const;
export type StorageAdapterType = (typeof ADAPTER_TYPES)[number];

export interface ScsiHostAdapter {
  type: 'scsi_host';
  name?: string;
  parentAddr?: { uniqueId: number; address: PciAddress };
}

export interface FcHostAdapter {
  type: 'fc_host';
  parent?: string;
  parentWwnn?: string;
  parentWwpn?: string;
  parentFabricWwn?: string;
  managed?: boolean;
  wwnn: string;
  wwpn: string;
}

export type StorageAdapter = ScsiHostAdapter | FcHostAdapter;

const D = ErrorDomain.STORAGE;
const XE = ErrorCode.XML_ERROR;
const WWN_RE = /^(0x)?[0-9a-fA-F]{16}$/;

function wwn(node: XmlElement, attr: string): string | undefined {
  const v = attrString(node, attr);
  if (v !== undefined && !WWN_RE.test(v)) throw xmlError(D, `Malformed '${attr}' value`, ErrorCode.INVALID_ARG);
  return v === undefined ? undefined : v.replace(/^0x/, '').toLowerCase();
}

export function parseAdapter(node: XmlElement): StorageAdapter {
  const type = attrString(node, 'type');
  if (type === undefined || type === 'scsi_host') {
    const a: ScsiHostAdapter = { type: 'scsi_host' };
    const name = attrString(node, 'name');
    if (name !== undefined) a.name = name;
    const pa = firstChild(node, 'parentaddr');
    if (pa) {
      const uid = toUnsigned(pa.attrs.unique_id, 0x7fffffff);
      if (uid === undefined) throw xmlError(D, "Missing or invalid scsi adapter 'unique_id' value", XE);
      const addr = firstChild(pa, 'address');
      if (!addr) throw xmlError(D, 'Missing scsi_host PCI address element', XE);
      a.parentAddr = { uniqueId: uid, address: parsePciAddress(addr, D) };
    }
    if (type === undefined && a.name === undefined) {
      throw xmlError(D, 'missing storage pool source adapter type', XE);
    }
    if (a.name !== undefined && a.parentAddr) {
      throw xmlError(D, "Use of 'name' and 'parent_addr' attributes for scsi_host adapter is not allowed", XE);
    }
    if (a.name === undefined && !a.parentAddr) {
      throw xmlError(D, "Either 'name' or 'parent_addr' must be specified for 'scsi_host' adapter", XE);
    }
    return a;
  }
  if (type === 'fc_host') {
    const wwnn = wwn(node, 'wwnn');
    const wwpn = wwn(node, 'wwpn');
    if (wwnn === undefined || wwpn === undefined) {
      throw xmlError(D, "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'", XE);
    }
    const a: FcHostAdapter = { type: 'fc_host', wwnn, wwpn };
    const parent = attrString(node, 'parent');
    if (parent !== undefined) a.parent = parent;
    const pwwnn = wwn(node, 'parent_wwnn');
    if (pwwnn !== undefined) a.parentWwnn = pwwnn;
    const pwwpn = wwn(node, 'parent_wwpn');
    if (pwwpn !== undefined) a.parentWwpn = pwwpn;
    const fabric = wwn(node, 'parent_fabric_wwn');
    if (fabric !== undefined) a.parentFabricWwn = fabric;
    if ((pwwnn === undefined) !== (pwwpn === undefined)) {
      throw xmlError(D, 'must supply both parent_wwnn and parent_wwpn not just one or the other', XE);
    }
    const managed = parseYesNo(node, 'managed', D);
    if (managed !== undefined) a.managed = managed;
    return a;
  }
  throw xmlError(D, `Unknown pool adapter type '${type}'`, ErrorCode.CONFIG_UNSUPPORTED);
}

export function formatAdapter(w: XmlWriter, a: StorageAdapter): void {
  if (a.type === 'fc_host') {
    w.empty(
      'adapter',
      attrList([
        ['type', 'fc_host'],
        ['parent', a.parent],
        ['parent_wwnn', a.parentWwnn],
        ['parent_wwpn', a.parentWwpn],
        ['parent_fabric_wwn', a.parentFabricWwn],
        ['managed', yesNo(a.managed)],
        ['wwnn', a.wwnn],
        ['wwpn', a.wwpn],
      ]),
    );
    return;
  }
  if (a.name !== undefined || !a.parentAddr) {
    w.empty(
      'adapter',
      attrList([
        ['type', 'scsi_host'],
        ['name', a.name],
      ]),
    );
    return;
  }
  w.open('adapter', attrList([['type', 'scsi_host']]));
  w.open('parentaddr', attrList([['unique_id', a.parentAddr.uniqueId]]));
  const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`;
  const p = a.parentAddr.address;
  w.empty(
    'address',
    attrList([
      ['domain', hex(p.domain, 4)],
      ['bus', hex(p.bus, 2)],
      ['slot', hex(p.slot, 2)],
      ['function', `0x${p.function}`],
    ]),
  );
  w.close('parentaddr');
  w.close('adapter');
}

export { formatPciAddress };
