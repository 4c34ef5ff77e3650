/** <bandwidth> (QoS for networks and port groups): inbound/outbound average, peak, floor, burst. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { attrList, type XmlWriter } from '../writer.js';

/** Rates in KiB/s, burst in KiB (as libvirt stores them). */
export interface BandwidthRate {
  average?: number;
  peak?: number;
  floor?: number;
  burst?: number;
}

export interface Bandwidth {
  inbound?: BandwidthRate;
  outbound?: BandwidthRate;
}

const D = ErrorDomain.NETWORK;
const RATE_ATTRS = ['average', 'peak', 'floor', 'burst'] as const;

function parseRate(node: XmlElement, allowFloor: boolean): BandwidthRate | undefined {
  const rate: BandwidthRate = {};
  for (const a of RATE_ATTRS) {
    const v = node.attrs[a];
    if (v === undefined) continue;
    const n = toUnsigned(v);
    if (n === undefined)
      throw xmlError(D, `could not convert bandwidth ${a} value '${v}'`, ErrorCode.CONFIG_UNSUPPORTED);
    if (n > 0) rate[a] = n;
  }
  if (rate.floor !== undefined && (!allowFloor || node.name !== 'inbound')) {
    throw xmlError(D, "floor attribute isn't supported for this interface", ErrorCode.CONFIG_UNSUPPORTED);
  }
  if (rate.average === undefined && rate.floor === undefined) {
    throw xmlError(D, 'Missing mandatory average or floor attributes', ErrorCode.CONFIG_UNSUPPORTED);
  }
  if ((rate.peak !== undefined || rate.burst !== undefined) && rate.average === undefined) {
    throw xmlError(D, "'peak' and 'burst' require 'average' attribute", ErrorCode.CONFIG_UNSUPPORTED);
  }
  return rate;
}

export function parseBandwidth(node: XmlElement, allowFloor = false): Bandwidth | undefined {
  const inb = firstChild(node, 'inbound');
  const outb = firstChild(node, 'outbound');
  const bw: Bandwidth = {};
  if (inb) bw.inbound = parseRate(inb, allowFloor);
  if (outb) bw.outbound = parseRate(outb, allowFloor);
  return bw.inbound || bw.outbound ? bw : undefined;
}

function rateAttrs(r: BandwidthRate): Array<[string, number | undefined]> {
  return RATE_ATTRS.map((a) => [a, r[a] || undefined]);
}

/** `classId`: a network port's floor class on the bridge (libvirt writes it when not 0). */
export function formatBandwidth(w: XmlWriter, bw: Bandwidth | undefined, classId?: number): void {
  if (!bw || (!bw.inbound && !bw.outbound)) return;
  w.open('bandwidth', classId ? ` classID='${classId}'` : '');
  if (bw.inbound) w.empty('inbound', attrList(rateAttrs(bw.inbound)));
  if (bw.outbound) w.empty('outbound', attrList(rateAttrs(bw.outbound)));
  w.close('bandwidth');
}
