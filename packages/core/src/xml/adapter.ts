/**
 * The one place that touches xml2js. Everything else in tsvirt reads and writes XML through the
 * small tree below: parse() turns a document into XmlElement nodes (order kept), and
 * serialize() writes nodes in libvirt's canonical form (two-space indent, single-quoted
 * attributes, empty elements self-closed), which xml2js's own builder cannot produce.
 */
import xml2js from 'xml2js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Child elements and text runs in document order. */
  nodes: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface ParseXmlOptions {
  /** Name libvirt shows in parse errors, e.g. "domain_definition". */
  documentName?: string;
  domain?: ErrorDomain;
}

interface RawNode {
  '#name': string;
  $?: Record<string, string>;
  $$?: RawNode[];
  _?: string;
}

const parserOptions = {
  explicitChildren: true,
  preserveChildrenOrder: true,
  charsAsChildren: true,
  includeWhiteChars: false,
  explicitRoot: false,
  async: false,
  strict: true,
  trim: false,
  normalize: false,
} as const;

const FORBIDDEN_DTD = /<!DOCTYPE[^>]*(\[|SYSTEM|PUBLIC)|<!ENTITY/i;

/** Parse an XML document into the element tree; throws libvirt's XML errors on bad input. */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  const docName = options.documentName ?? 'document';
  const domain = options.domain ?? ErrorDomain.XML;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new VirError({ code: ErrorCode.XML_ERROR, domain, detail: `(${docName}): empty XML document` });
  }
  // No entity declarations and no external DTDs: nothing may expand or reach outside.
  if (FORBIDDEN_DTD.test(text)) {
    throw new VirError({
      code: ErrorCode.XML_DETAIL,
      domain,
      detail: `(${docName}): entity declarations and external DTDs are not allowed`,
    });
  }
  let root: RawNode | undefined;
  let failure: unknown;
  const parser = new xml2js.Parser(parserOptions);
  parser.parseString(text, (err: unknown, result: RawNode) => {
    failure = err;
    root = result;
  });
  if (failure || !root) throw syntaxError(failure, docName, domain);
  return convert(root);
}

function syntaxError(err: unknown, docName: string, domain: ErrorDomain): VirError {
  const raw = err instanceof Error ? err.message : 'document is empty';
  const [reason = raw, ...rest] = raw.split('\n');
  const line = /Line: (\d+)/.exec(rest.join('\n'));
  const where = line ? `:${Number(line[1]) + 1}` : '';
  return new VirError({
    code: ErrorCode.XML_DETAIL,
    domain,
    detail: `(${docName})${where}: ${reason}`,
    cause: err,
  });
}

function convert(raw: RawNode): XmlElement {
  const nodes: XmlNode[] = [];
  for (const child of raw.$$ ?? []) {
    if (child['#name'] === '__text__') nodes.push(child._ ?? '');
    else nodes.push(convert(child));
  }
  return { name: raw['#name'], attrs: { ...(raw.$ ?? {}) }, nodes };
}

// ---------- reading helpers ----------

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const n of el.nodes) if (typeof n !== 'string' && (name === undefined || n.name === name)) out.push(n);
  return out;
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  for (const n of el.nodes) if (typeof n !== 'string' && n.name === name) return n;
  return undefined;
}

/** The element's text content (all descendant text, as XPath string() gives). */
export function textOf(el: XmlElement): string {
  let s = '';
  for (const n of el.nodes) s += typeof n === 'string' ? n : textOf(n);
  return s;
}

/** Text of the first child called `name`, or undefined when absent. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = firstChild(el, name);
  return c ? textOf(c) : undefined;
}

// ---------- writing ----------

export type AttrValue = string | number | boolean | undefined | null;
export type AttrList = ReadonlyArray<readonly [string, AttrValue]>;

/** An element to serialize: attributes keep the order given; undefined/null values are left out. */
export interface OutElement {
  name: string;
  attrs?: AttrList;
  /** Child elements, or a text body; `undefined` entries in children are skipped. */
  children?: ReadonlyArray<OutNode | undefined | false>;
  text?: string;
}
export type OutNode = OutElement | { raw: XmlElement } | { textNode: string };

/** Build an output element; absent children/attributes are allowed to keep call sites flat. */
export function el(
  name: string,
  attrs?: AttrList,
  children?: ReadonlyArray<OutNode | undefined | false> | string,
): OutElement {
  return typeof children === 'string' ? { name, attrs, text: children } : { name, attrs, children };
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>'"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === "'" ? '&apos;' : '&quot;',
  );
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function attrString(attrs: AttrList | undefined): string {
  if (!attrs) return '';
  let s = '';
  for (const [k, v] of attrs) {
    if (v === undefined || v === null) continue;
    s += ` ${k}='${escapeXml(String(v))}'`;
  }
  return s;
}

/** Serialize in libvirt's canonical layout; the result ends with a newline. */
export function serializeXml(root: OutElement, indent = 0): string {
  const out: string[] = [];
  writeOut(root, indent, out);
  return out.join('');
}

function writeOut(node: OutNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  if ('raw' in node) {
    writeRaw(node.raw, depth, out);
    return;
  }
  if ('textNode' in node) {
    out.push(escapeText(node.textNode));
    return;
  }
  const head = `${pad}<${node.name}${attrString(node.attrs)}`;
  if (node.text !== undefined) {
    out.push(node.text === '' ? `${head}/>\n` : `${head}>${escapeText(node.text)}</${node.name}>\n`);
    return;
  }
  const kids = (node.children ?? []).filter((c): c is OutNode => !!c);
  if (kids.length === 0) {
    out.push(`${head}/>\n`);
    return;
  }
  out.push(`${head}>\n`);
  for (const k of kids) writeOut(k, depth + 1, out);
  out.push(`${pad}</${node.name}>\n`);
}

/** Re-indent a parsed subtree (foreign XML such as <metadata> content), as libxml2 would. */
function writeRaw(elem: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(elem.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const elems = childElements(elem);
  const texts = elem.nodes.filter((n): n is string => typeof n === 'string');
  if (elem.nodes.length === 0) {
    out.push(`${pad}<${elem.name}${attrs}/>\n`);
  } else if (elems.length === 0) {
    out.push(`${pad}<${elem.name}${attrs}>${escapeText(texts.join(''))}</${elem.name}>\n`);
  } else if (texts.every((t) => t.trim() === '')) {
    out.push(`${pad}<${elem.name}${attrs}>\n`);
    for (const c of elems) writeRaw(c, depth + 1, out);
    out.push(`${pad}</${elem.name}>\n`);
  } else {
    // Mixed content stays on one line, untouched.
    out.push(`${pad}<${elem.name}${attrs}>${elem.nodes.map(inlineRaw).join('')}</${elem.name}>\n`);
  }
}

function inlineRaw(n: XmlNode): string {
  if (typeof n === 'string') return escapeText(n);
  const attrs = Object.entries(n.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return n.nodes.length === 0 ? `<${n.name}${attrs}/>` : `<${n.name}${attrs}>${n.nodes.map(inlineRaw).join('')}</${n.name}>`;
}
