/**
 * virDomainSetMetadata / virDomainGetMetadata on a domain definition: the <title>, the
 * <description>, and one foreign-namespace element per namespace URI inside <metadata>.
 * Drivers call these on the definition(s) the AFFECT flags chose; they never change the
 * definition they are given (a changed copy comes back).
 */
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { parseXml, serializeElement, type XmlElement, type XmlNode } from '../adapter.js';
import type { DomainDef } from './types.js';

/** virDomainMetadataType. */
export const DomainMetadataType = {
  DESCRIPTION: 0,
  TITLE: 1,
  ELEMENT: 2,
} as const;
export type DomainMetadataType = (typeof DomainMetadataType)[keyof typeof DomainMetadataType];

function unknownType(type: number): VirError {
  return new VirError({
    code: ErrorCode.INVALID_ARG,
    domain: ErrorDomain.DOMAIN,
    detail: `unknown metadata type '${type}'`,
  });
}

function notFound(): VirError {
  return new VirError({
    code: ErrorCode.NO_DOMAIN_METADATA,
    domain: ErrorDomain.DOMAIN,
    detail: 'Requested metadata element is not present',
  });
}

function xmlInternal(detail: string): VirError {
  return new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.XML, detail });
}

// ---------- namespaces on the plain element tree ----------

/** Prefix → URI declarations in scope; '' is the default namespace. */
type Scope = ReadonlyMap<string, string>;

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function scopeOf(elem: XmlElement, parent: Scope): Scope {
  let scope: Map<string, string> | undefined;
  for (const [attr, value] of Object.entries(elem.attrs)) {
    const prefix = attr === 'xmlns' ? '' : attr.startsWith('xmlns:') ? attr.slice(6) : undefined;
    if (prefix === undefined) continue;
    scope ??= new Map(parent);
    scope.set(prefix, value);
  }
  return scope ?? parent;
}

/** The namespace URI an element is in, or undefined for none (as libxml2's node->ns). */
function namespaceOf(elem: XmlElement, scope: Scope): string | undefined {
  const prefix = prefixOf(elem.name);
  const uri = scope.get(prefix);
  // xmlns="" takes the default namespace away; a prefix bound to "" (as libvirt binds an
  // empty URI) still names a namespace.
  return uri === '' && prefix === '' ? undefined : uri;
}

function mapElements(elem: XmlElement, scope: Scope, fn: (e: XmlElement, s: Scope) => XmlElement): XmlElement {
  const inner = scopeOf(elem, scope);
  const nodes: XmlNode[] = elem.nodes.map((n) => (typeof n === 'string' ? n : mapElements(n, inner, fn)));
  return fn({ ...elem, nodes }, inner);
}

const NCNAME = /^[\p{L}_][\p{L}\p{N}\p{M}_.\-\u00B7]*$/u;

/**
 * Declare `key` for `uri` on the element and put every element that has no namespace into it,
 * as libvirt stores a new metadata element. The declaration goes after the element's existing
 * ones and before its other attributes (libxml2 writes declarations first).
 */
function injectNamespace(root: XmlElement, uri: string, key: string): XmlElement {
  if (!NCNAME.test(key)) throw xmlInternal('failed to validate prefix for a new XML namespace');
  if (Object.hasOwn(root.attrs, `xmlns:${key}`)) throw xmlInternal('failed to create a new XML namespace');
  const entries = Object.entries(root.attrs);
  const isDecl = ([a]: [string, string]) => a === 'xmlns' || a.startsWith('xmlns:');
  const attrs = Object.fromEntries([
    ...entries.filter(isDecl),
    [`xmlns:${key}`, uri],
    ...entries.filter((e) => !isDecl(e)),
  ]);
  return mapElements({ ...root, attrs }, new Map(), (e, scope) =>
    namespaceOf(e, scope) === undefined ? { ...e, name: `${key}:${localName(e.name)}` } : e,
  );
}

/** The first metadata element in namespace `uri`, by position. */
function findByNamespace(elements: readonly XmlElement[], uri: string): number {
  return elements.findIndex((e) => namespaceOf(e, scopeOf(e, new Map())) === uri);
}

/**
 * The element as libvirt hands it out: every element in `uri` loses its prefix and the
 * element's own declaration of `uri` is dropped.
 */
function extractNamespace(elem: XmlElement, uri: string): string {
  const stripped = mapElements(elem, new Map(), (e, scope) =>
    namespaceOf(e, scope) === uri ? { ...e, name: localName(e.name) } : e,
  );
  const entries = Object.entries(stripped.attrs);
  const decl = entries.findIndex(([a, v]) => (a === 'xmlns' || a.startsWith('xmlns:')) && v === uri);
  if (decl >= 0) entries.splice(decl, 1);
  return serializeElement({ ...stripped, attrs: Object.fromEntries(entries) }).replace(/\n$/, '');
}

// ---------- the two operations ----------

/**
 * virDomainGetMetadata on one definition: the title, the description, or the element in
 * namespace `uri` (without its prefix); NO_DOMAIN_METADATA when absent.
 */
export function getDomainMetadata(def: DomainDef, type: number, uri?: string): string {
  if (type >= 3) throw unknownType(type);
  if (type === DomainMetadataType.DESCRIPTION && def.description !== undefined) return def.description;
  if (type === DomainMetadataType.TITLE && def.title !== undefined) return def.title;
  if (type === DomainMetadataType.ELEMENT && uri !== undefined) {
    const elements = def.metadata?.elements ?? [];
    const at = findByNamespace(elements, uri);
    if (at >= 0) return extractNamespace(elements[at]!, uri);
  }
  throw notFound();
}

/**
 * virDomainSetMetadata on one definition: a changed copy. An absent or empty value removes
 * the title, the description or the element in namespace `uri`; a new element replaces the
 * old one of its namespace and goes last, under the prefix `key`.
 */
export function setDomainMetadata(
  def: DomainDef,
  type: number,
  value: string | undefined,
  key?: string,
  uri?: string,
): DomainDef {
  const empty = value === undefined || value === '';
  switch (type) {
    case DomainMetadataType.DESCRIPTION: {
      const { description: _old, ...rest } = def;
      return empty ? (rest as DomainDef) : { ...def, description: value };
    }
    case DomainMetadataType.TITLE: {
      const { title: _old, ...rest } = def;
      return empty ? (rest as DomainDef) : { ...def, title: value };
    }
    case DomainMetadataType.ELEMENT: {
      const added = empty
        ? undefined
        : injectNamespace(
            parseXml(value, { documentName: 'metadata_xml', domain: ErrorDomain.DOMAIN }),
            uri ?? '',
            key ?? '',
          );
      const elements = [...(def.metadata?.elements ?? [])];
      const at = uri === undefined ? -1 : findByNamespace(elements, uri);
      if (at >= 0) elements.splice(at, 1);
      if (added) elements.push(added);
      // libvirt creates <metadata> for a new element and keeps it, empty, after the last removal.
      return def.metadata || added ? { ...def, metadata: { elements } } : def;
    }
    default:
      // libvirt accepts a negative type and changes nothing.
      if (type < 0) return def;
      throw unknownType(type);
  }
}
