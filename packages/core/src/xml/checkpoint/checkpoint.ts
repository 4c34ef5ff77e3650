/** <domaincheckpoint>: parse and format of domain checkpoint XML. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childElements, firstChild, parseXml, type XmlElement } from '../adapter.js';
import { attrString, childString } from '../common/attributes.js';
import { embeddedXml, writeEmbedded } from '../common/embedded-domain.js';
import { xmlError } from '../common/errors.js';
import { toInteger } from '../common/integers.js';
import { a, XmlWriter } from '../writer.js';
import {
  CHECKPOINT_DISK_TYPES,
  type CheckpointDisk,
  type CheckpointDiskType,
  type DomainCheckpointDef,
} from './types.js';

const D = ErrorDomain.DOMAIN_CHECKPOINT;

export interface ParseCheckpointOptions {
  /**
   * VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE: the XML describes an existing checkpoint, so its
   * name and creation time are required and its parent and <domain> are kept. Otherwise the
   * creation time is now and a missing name defaults to it.
   */
  redefine?: boolean;
  /** Clock for the creation time of new checkpoints (seconds); defaults to now. */
  now?: () => number;
}

export interface FormatCheckpointOptions {
  /** VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN: leave out the <domain>. */
  noDomain?: boolean;
  /** VIR_DOMAIN_CHECKPOINT_XML_SIZE: write the bitmap sizes the driver filled in. */
  size?: boolean;
}

/** libvirt validates checkpoint XML against domaincheckpoint.rng; these are the faults it reports. */
function schemaError(detail: string): VirError {
  return new VirError({
    code: ErrorCode.XML_INVALID_SCHEMA,
    domain: ErrorDomain.XML,
    detail: `Unable to validate doc against /usr/share/libvirt/schemas/domaincheckpoint.rng\n${detail}\n`,
  });
}

/** libxml2's words for a child of <domaincheckpoint> that does not fit its pattern. */
const misfit = (element: string): VirError =>
  schemaError(`Extra element ${element} in interleave\nElement domaincheckpoint failed to validate content`);

const TOP_ELEMENTS = new Set(['name', 'description', 'parent', 'creationTime', 'disks', 'domain']);

function parseDisk(el: XmlElement): CheckpointDisk {
  const name = attrString(el, 'name');
  const type = attrString(el, 'checkpoint') ?? 'bitmap';
  if (name === undefined || !(CHECKPOINT_DISK_TYPES as readonly string[]).includes(type)) throw misfit('disks');
  const disk: CheckpointDisk = { name, checkpoint: type as CheckpointDiskType };
  const bitmap = attrString(el, 'bitmap');
  if (bitmap !== undefined) disk.bitmap = bitmap;
  // Only output carries a size (XML_SIZE); kept so a client reads back what the server wrote.
  const size = toInteger(attrString(el, 'size'));
  if (size !== undefined) disk.size = size;
  return disk;
}

export function parseDomainCheckpointXml(xml: string, options: ParseCheckpointOptions = {}): DomainCheckpointDef {
  const root = parseXml(xml, { documentName: 'domain_checkpoint', domain: D });
  if (root.name !== 'domaincheckpoint') {
    throw new VirError({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'domaincheckpoint', not '${root.name}'`,
    });
  }
  for (const child of childElements(root)) {
    if (!TOP_ELEMENTS.has(child.name)) throw schemaError(`Element domaincheckpoint has extra content: ${child.name}`);
  }
  const def: DomainCheckpointDef = {};
  const name = childString(root, 'name');
  // The schema's name pattern has no '/'.
  if (name?.includes('/')) throw misfit('name');
  if (name !== undefined) def.name = name;
  const description = childString(root, 'description');
  if (description !== undefined) def.description = description;

  if (options.redefine) {
    if (name === undefined) throw xmlError(D, 'a redefined checkpoint must have a name');
    const t = toInteger(childString(root, 'creationTime'));
    if (t === undefined) {
      throw new VirError({
        code: ErrorCode.INTERNAL_ERROR,
        domain: D,
        detail: 'missing creationTime from existing checkpoint',
      });
    }
    def.creationTime = t;
    const parentEl = firstChild(root, 'parent');
    const parent = parentEl ? childString(parentEl, 'name') : undefined;
    if (parent !== undefined) def.parent = parent;
    const domain = firstChild(root, 'domain');
    if (domain) def.domainXml = embeddedXml(domain);
  } else {
    def.creationTime = (options.now ?? (() => Math.floor(Date.now() / 1000)))();
    def.name ??= String(def.creationTime);
  }

  const disks = firstChild(root, 'disks');
  if (disks) def.disks = childElements(disks).map(parseDisk);
  return def;
}

export function formatDomainCheckpointXml(def: DomainCheckpointDef, options: FormatCheckpointOptions = {}): string {
  const w = new XmlWriter();
  w.open('domaincheckpoint');
  w.optText('name', def.name);
  w.optText('description', def.description);
  if (def.parent !== undefined) {
    w.open('parent');
    w.text('name', def.parent);
    w.close('parent');
  }
  if (def.creationTime) w.optText('creationTime', def.creationTime);
  if (def.disks && def.disks.length > 0) {
    w.open('disks');
    for (const d of def.disks) {
      const size = options.size && d.bitmap !== undefined ? d.size : undefined;
      w.empty('disk', a('name', d.name) + a('checkpoint', d.checkpoint) + a('bitmap', d.bitmap) + a('size', size));
    }
    w.close('disks');
  }
  if (def.domainXml && !options.noDomain) writeEmbedded(w, def.domainXml);
  w.close('domaincheckpoint');
  return w.toString();
}
