/** <virtualport> (802.1Qbg, 802.1Qbh, Open vSwitch, MidoNet) and its <parameters>. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { normalizeUuid } from '../common/uuid.js';
import { a, attrList, type XmlWriter } from '../writer.js';

export const VIRTUALPORT_TYPES = ['none', '802.1Qbg', '802.1Qbh', 'openvswitch', 'midonet'] as const;
export type VirtualPortType = (typeof VIRTUALPORT_TYPES)[number];

export interface VirtualPort {
  type?: Exclude<VirtualPortType, 'none'>;
  managerId?: number;
  typeId?: number;
  typeIdVersion?: number;
  instanceId?: string;
  profileId?: string;
  interfaceId?: string;
}

const D = ErrorDomain.NETWORK;
const CU = ErrorCode.CONFIG_UNSUPPORTED;

/** Which parameters each type accepts (a missing type accepts them all, to be resolved later). */
const ALLOWED: Record<Exclude<VirtualPortType, 'none'>, ReadonlyArray<keyof VirtualPort>> = {
  '802.1Qbg': ['managerId', 'typeId', 'typeIdVersion', 'instanceId'],
  '802.1Qbh': ['profileId'],
  openvswitch: ['profileId', 'interfaceId'],
  midonet: ['interfaceId'],
};

export function parseVirtualPort(node: XmlElement, requireType: boolean): VirtualPort {
  const vp: VirtualPort = {};
  const type = node.attrs.type;
  if (type !== undefined && type !== 'none') {
    if (!(VIRTUALPORT_TYPES as readonly string[]).includes(type))
      throw xmlError(D, `unknown virtualport type ${type}`, CU);
    vp.type = type as VirtualPort['type'];
  } else if (requireType) {
    throw xmlError(D, 'missing virtualportprofile type', CU);
  }
  const params = firstChild(node, 'parameters');
  if (params) {
    const a = params.attrs;
    if (a.managerid !== undefined) {
      const n = toUnsigned(a.managerid);
      if (n === undefined) throw xmlError(D, 'cannot parse value of managerid parameter', CU);
      if (n > 255) throw xmlError(D, 'value of managerid out of range', CU);
      vp.managerId = n;
    }
    if (a.typeid !== undefined) {
      const n = toUnsigned(a.typeid);
      if (n === undefined) throw xmlError(D, 'cannot parse value of typeid parameter', CU);
      if (n > 0xffffff) throw xmlError(D, 'value for typeid out of range', CU);
      vp.typeId = n;
    }
    if (a.typeidversion !== undefined) {
      const n = toUnsigned(a.typeidversion);
      if (n === undefined) throw xmlError(D, 'cannot parse value of typeidversion parameter', CU);
      if (n > 255) throw xmlError(D, 'value of typeidversion out of range', CU);
      vp.typeIdVersion = n;
    }
    if (a.instanceid !== undefined) {
      const u = normalizeUuid(a.instanceid);
      if (!u) throw xmlError(D, 'cannot parse instanceid parameter as a uuid', CU);
      vp.instanceId = u;
    }
    if (a.profileid !== undefined) {
      if (a.profileid.length > 39) throw xmlError(D, 'profileid parameter too long', CU);
      vp.profileId = a.profileid;
    }
    if (a.interfaceid !== undefined) {
      const u = normalizeUuid(a.interfaceid);
      if (!u) throw xmlError(D, 'cannot parse interfaceid parameter as a uuid', CU);
      vp.interfaceId = u;
    }
  }
  if (vp.type) {
    for (const key of Object.keys(vp) as Array<keyof VirtualPort>) {
      if (key !== 'type' && !ALLOWED[vp.type].includes(key)) {
        throw xmlError(D, `attribute ${key.toLowerCase()} not allowed for <virtualport type='${vp.type}'>`, CU);
      }
    }
  }
  return vp;
}

export function formatVirtualPort(w: XmlWriter, vp: VirtualPort | undefined): void {
  if (!vp) return;
  const params: Array<[string, string | number | undefined]> = [
    ['managerid', vp.managerId],
    ['typeid', vp.typeId],
    ['typeidversion', vp.typeIdVersion],
    ['instanceid', vp.instanceId],
    ['profileid', vp.profileId],
    ['interfaceid', vp.interfaceId],
  ];
  const hasParams = params.some(([, v]) => v !== undefined);
  if (!hasParams) {
    w.empty('virtualport', a('type', vp.type));
    return;
  }
  w.open('virtualport', a('type', vp.type));
  w.empty('parameters', attrList(params));
  w.close('virtualport');
}
