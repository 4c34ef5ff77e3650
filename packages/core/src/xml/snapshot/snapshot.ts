/** <domainsnapshot>: parse and format of domain snapshot XML. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childElements, firstChild, parseXml, textOf } from '../adapter.js';
import { attrString, childString } from '../common/attributes.js';
import { embeddedXml, writeEmbedded } from '../common/embedded-domain.js';
import { xmlError } from '../common/errors.js';
import { toInteger } from '../common/integers.js';
import { normalizeUuid } from '../common/uuid.js';
import { a, XmlWriter } from '../writer.js';
import { formatSnapshotDisks, parseSnapshotDisks } from './disks.js';
import {
  type DomainSnapshotDef,
  SNAPSHOT_LOCATIONS,
  SNAPSHOT_STATES,
  type SnapshotLocation,
  type SnapshotState,
} from './types.js';

const D = ErrorDomain.DOMAIN_SNAPSHOT;
const XE = ErrorCode.XML_ERROR;

export interface ParseSnapshotOptions {
  /**
   * VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE: the XML describes an existing snapshot, so its state
   * and creation time are kept (and required). Otherwise both are the caller's to fill in and
   * a missing name defaults to the creation time.
   */
  redefine?: boolean;
  /** Clock for the creation time of new snapshots (seconds); defaults to now. */
  now?: () => number;
}

export interface FormatSnapshotOptions {
  /** The domain's XML to embed (e.g. formatted by the domain XML modules); overrides def.domainXml. */
  domainXml?: string;
  /** Status XML: include <active>. */
  internal?: boolean;
}

export function parseDomainSnapshotXml(xml: string, options: ParseSnapshotOptions = {}): DomainSnapshotDef {
  const root = parseXml(xml, { documentName: 'domain_snapshot', domain: ErrorDomain.XML });
  if (root.name !== 'domainsnapshot') {
    throw new VirError({
      code: XE,
      domain: ErrorDomain.XML,
      detail: `expecting root element of 'domainsnapshot', not '${root.name}'`,
    });
  }
  const def: DomainSnapshotDef = {};
  const name = childString(root, 'name');
  if (name !== undefined) {
    if (name.includes('/')) throw xmlError(D, 'invalid char in name: /', ErrorCode.XML_DETAIL);
    def.name = name;
  }
  const description = childString(root, 'description');
  if (description !== undefined) def.description = description;

  if (options.redefine) {
    const ct = childString(root, 'creationTime');
    const t = toInteger(ct);
    if (ct === undefined || t === undefined) throw xmlError(D, 'missing creationTime from existing snapshot', XE);
    def.creationTime = t;
    const parent = childString(firstChild(root, 'parent') ?? root, 'name');
    if (parent !== undefined && firstChild(root, 'parent')) def.parent = parent;
    const state = childString(root, 'state');
    if (state === undefined) throw xmlError(D, 'missing state from existing snapshot', XE);
    if (!(SNAPSHOT_STATES as readonly string[]).includes(state) || state === 'nostate') {
      throw xmlError(D, `Invalid state '${state}' in domain snapshot XML`, XE);
    }
    def.state = state as SnapshotState;
    const domain = firstChild(root, 'domain');
    if (domain) {
      if (childElements(domain).length === 1 && firstChild(domain, 'uuid')) {
        const uuid = normalizeUuid(textOf(firstChild(domain, 'uuid')!));
        if (!uuid) throw xmlError(D, 'malformed uuid element', XE);
        def.domainUuid = uuid;
      } else def.domainXml = embeddedXml(domain);
    }
    const inactive = firstChild(root, 'inactiveDomain');
    if (inactive) def.inactiveDomainXml = embeddedXml(inactive);
  } else {
    def.creationTime = (options.now ?? (() => Math.floor(Date.now() / 1000)))();
    def.name ??= String(def.creationTime);
  }

  const memory = firstChild(root, 'memory');
  if (memory) {
    const snapshot = attrString(memory, 'snapshot');
    const file = attrString(memory, 'file');
    def.memory = {};
    if (snapshot !== undefined) {
      if (!(SNAPSHOT_LOCATIONS as readonly string[]).includes(snapshot)) {
        throw xmlError(D, `unknown memory snapshot setting '${snapshot}'`, ErrorCode.CONFIG_UNSUPPORTED);
      }
      def.memory.snapshot = snapshot as SnapshotLocation;
    }
    if (file !== undefined) {
      if (!file.startsWith('/'))
        throw xmlError(D, `memory snapshot file path (${file}) must be absolute`, ErrorCode.CONFIG_UNSUPPORTED);
      if (def.memory.snapshot !== undefined && def.memory.snapshot !== 'external') {
        throw xmlError(D, `memory filename '${file}' requires external snapshot`, XE);
      }
      def.memory.file = file;
      def.memory.snapshot = 'external';
    }
    if (def.memory.snapshot === 'external' && file === undefined) {
      throw xmlError(D, 'external memory snapshots require a filename', XE);
    }
  }
  const disks = firstChild(root, 'disks');
  if (disks) def.disks = parseSnapshotDisks(disks);
  const cookie = firstChild(root, 'cookie');
  if (cookie) def.cookie = cookie;
  const active = childString(root, 'active');
  if (active !== undefined) def.active = active === '1';
  return def;
}

export function formatDomainSnapshotXml(def: DomainSnapshotDef, options: FormatSnapshotOptions = {}): string {
  const w = new XmlWriter();
  w.open('domainsnapshot');
  w.optText('name', def.name);
  w.optText('description', def.description);
  w.optText('state', def.state);
  if (def.parent !== undefined) {
    w.open('parent');
    w.text('name', def.parent);
    w.close('parent');
  }
  if (def.creationTime) w.optText('creationTime', def.creationTime);
  if (def.memory?.snapshot !== undefined || def.memory?.file !== undefined) {
    w.empty('memory', a('snapshot', def.memory.snapshot) + a('file', def.memory.file));
  }
  formatSnapshotDisks(w, def.disks);
  const domainXml = options.domainXml ?? def.domainXml;
  if (domainXml) writeEmbedded(w, domainXml);
  else if (def.domainUuid) {
    w.open('domain');
    w.text('uuid', def.domainUuid);
    w.close('domain');
  }
  if (def.inactiveDomainXml) writeEmbedded(w, def.inactiveDomainXml, 'inactiveDomain');
  if (def.cookie) w.copy(def.cookie);
  if (options.internal) w.optText('active', def.active ? 1 : 0);
  w.close('domainsnapshot');
  return w.toString();
}
