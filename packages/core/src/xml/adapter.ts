/**
 * The one place that touches xml2js. Everything else in tsvirt reads and writes XML through the
 * small tree below: parse() turns a document into XmlElement nodes (order kept), and
 * serialize() writes nodes in libvirt's canonical form (two-space indent, single-quoted
 * attributes, empty elements self-closed), which xml2js's own builder cannot produce.
 */
import xml2js from 'xml2js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { type AttrList, attrList as attrString, esc } from './writer.js';

export type { AttrList, AttrValue } from './writer.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Child elements and text runs in document order. */
  nodes: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface ParseXmlOptions {
  /** Name libvirt shows in parse errors, e.g. "domain_definition" (shown in parentheses). */
  documentName?: string;
  /** Path of the file the text was read from: errors name it bare, as libvirt does when it reads a file itself. */
  fileName?: string;
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
  const docLabel = options.fileName ?? `(${options.documentName ?? 'document'})`;
  const domain = options.domain ?? ErrorDomain.XML;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new VirError({ code: ErrorCode.XML_ERROR, domain, detail: `${docLabel}: empty XML document` });
  }
  // No entity declarations and no external DTDs: nothing may expand or reach outside.
  if (FORBIDDEN_DTD.test(text)) {
    throw new VirError({
      code: ErrorCode.XML_DETAIL,
      domain,
      detail: `${docLabel}: entity declarations and external DTDs are not allowed`,
    });
  }
  // The hand-written scanner below handles well-formed documents several times faster than
  // xml2js; anything it refuses goes through xml2js so errors keep their usual wording.
  const fast = scanDocument(text);
  if (fast && 'name' in fast) return fast;
  // Two faults xml2js lets through or words differently: answered as libxml2 words them.
  if (fast) throw libxml2Fault(fast, text, docLabel, domain);
  let root: RawNode | undefined;
  let failure: unknown;
  const parser = new xml2js.Parser(parserOptions);
  parser.parseString(text, (err: unknown, result: RawNode) => {
    failure = err;
    root = result;
  });
  if (failure || !root) throw syntaxError(failure, docLabel, domain, text);
  return convert(root);
}

// ---------- fast scanner ----------
// A strict, non-validating scanner for the common case: elements, attributes, text, CDATA,
// comments, processing instructions and a DOCTYPE without internal subset. It returns
// undefined on anything it does not accept, never a partial tree.

/** Character codes the scanner compares against. */
const Ch = {
  TAB: 9,
  LF: 10,
  CR: 13,
  SPACE: 32,
  BANG: 33,
  DQUOTE: 34,
  SQUOTE: 39,
  SLASH: 47,
  LT: 60,
  EQ: 61,
  GT: 62,
  QUESTION: 63,
} as const;

function isSpace(c: number): boolean {
  return c === Ch.SPACE || c === Ch.LF || c === Ch.TAB || c === Ch.CR;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 58 ||
    c === 45 ||
    c === 46 ||
    c >= 0x80
  );
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

const HEX_DIGITS = /^[0-9a-fA-F]+$/;
const DEC_DIGITS = /^[0-9]+$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Decode entity and character references; undefined when one is unknown or malformed. */
function decodeRefs(s: string): string | undefined {
  if (s.indexOf('&') < 0) return s;
  let out = '';
  let from = 0;
  for (;;) {
    const amp = s.indexOf('&', from);
    if (amp < 0) return out + s.slice(from);
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0) return undefined;
    const ref = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (ref.charCodeAt(0) === 35) {
      const hex = ref.charCodeAt(1) === 120;
      const digits = ref.slice(hex ? 2 : 1);
      if (digits === '' || !(hex ? HEX_DIGITS : DEC_DIGITS).test(digits)) return undefined;
      const cp = Number.parseInt(digits, hex ? 16 : 10);
      if (cp === 0 || cp > 0x10ffff) return undefined;
      rep = String.fromCodePoint(cp);
    } else {
      rep = PREDEFINED[ref];
    }
    if (rep === undefined) return undefined;
    out += s.slice(from, amp) + rep;
    from = semi + 1;
  }
}

/** Where the scanner found content after the root element, or the end inside an element. */
type ScanFault = { extraAt: number } | { unclosed: { name: string; at: number } };

function lineAndColumn(text: string, at: number): { line: number; lineText: string; column: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return {
    line: text.slice(0, at).split('\n').length,
    lineText: text.slice(start, end < 0 ? text.length : end),
    column: at - start,
  };
}

/** libxml2's "Extra content at the end of the document" / "Premature end of data in tag". */
function libxml2Fault(fault: ScanFault, text: string, docLabel: string, domain: ErrorDomain): VirError {
  let detail: string;
  if ('extraAt' in fault) {
    const p = lineAndColumn(text, fault.extraAt);
    detail = `${docLabel}:${p.line}: Extra content at the end of the document\n${p.lineText.slice(0, 80)}\n${'-'.repeat(p.column)}^`;
  } else {
    // Reported at the end of the input, naming the innermost open element and its line.
    const open = lineAndColumn(text, fault.unclosed.at);
    const last = lineAndColumn(text, text.length);
    const lineText = last.lineText.slice(0, 80);
    // An input ending in a line break leaves libxml2 no line to show: libvirt prints "(null)".
    const shown = lineText === '' ? '(null)' : lineText;
    detail = `${docLabel}:${last.line}: Premature end of data in tag ${fault.unclosed.name} line ${open.line}\n${shown}\n${'-'.repeat(lineText.length)}^`;
  }
  return new VirError({ code: ErrorCode.XML_DETAIL, domain, detail });
}

function scanDocument(text: string): XmlElement | ScanFault | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  /** Where each element on the stack started (for libxml2's "Premature end" message). */
  const openedAt: number[] = [];

  /** Skip a comment, PI or DOCTYPE starting at i ('<' seen); returns the new index or -1. */
  const skipMarkup = (at: number): number => {
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (text.charCodeAt(at + 1) === Ch.QUESTION) {
      const end = text.indexOf('?>', at + 2);
      return end < 0 ? -1 : end + 2;
    }
    if (text.startsWith('<!DOCTYPE', at) && stack.length === 0 && !root) {
      const end = text.indexOf('>', at);
      if (end < 0 || text.slice(at, end).indexOf('[') >= 0) return -1;
      return end + 1;
    }
    return -1;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== Ch.LT) {
      // Text: only allowed inside the root element (whitespace anywhere).
      const lt = text.indexOf('<', i);
      const end = lt < 0 ? n : lt;
      const raw = text.slice(i, end);
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim() !== '') return root ? { extraAt: i + raw.search(/\S/) } : undefined;
      } else if (raw.trim() !== '') {
        if (raw.indexOf(']]>') >= 0) return undefined;
        const decoded = decodeRefs(raw);
        if (decoded === undefined) return undefined;
        parent.nodes.push(decoded);
      }
      i = end;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (next === Ch.BANG || next === Ch.QUESTION) {
      if (text.startsWith('<![CDATA[', i)) {
        const parent = stack[stack.length - 1];
        const end = text.indexOf(']]>', i + 9);
        if (!parent || end < 0) return undefined;
        const data = text.slice(i + 9, end);
        if (data.trim() !== '') parent.nodes.push(data);
        i = end + 3;
        continue;
      }
      i = skipMarkup(i);
      if (i < 0) return undefined;
      continue;
    }
    if (next === Ch.SLASH) {
      // End tag.
      let j = i + 2;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const name = text.slice(i + 2, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== Ch.GT) return undefined;
      const open = stack.pop();
      openedAt.pop();
      if (!open || open.name !== name) return undefined;
      i = j + 1;
      continue;
    }
    // Start tag.
    if (root && stack.length === 0) return { extraAt: i }; // a second root element
    let j = i + 1;
    if (!isNameStart(text.charCodeAt(j))) return undefined;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const elem: XmlElement = { name: text.slice(i + 1, j), attrs: {}, nodes: [] };
    let selfClosing = false;
    for (;;) {
      const before = j;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const ch = text.charCodeAt(j);
      if (ch === Ch.GT) {
        j++;
        break;
      }
      if (ch === Ch.SLASH) {
        if (text.charCodeAt(j + 1) !== Ch.GT) return undefined;
        selfClosing = true;
        j += 2;
        break;
      }
      if (j === before || !isNameStart(ch)) return undefined; // attributes need a separating space
      const nameStart = j;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const attrName = text.slice(nameStart, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== Ch.EQ) return undefined;
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const quote = text.charCodeAt(j);
      if (quote !== Ch.SQUOTE && quote !== Ch.DQUOTE) return undefined;
      const close = text.indexOf(quote === Ch.SQUOTE ? "'" : '"', j + 1);
      if (close < 0) return undefined;
      const rawValue = text.slice(j + 1, close);
      if (rawValue.indexOf('<') >= 0) return undefined;
      const value = decodeRefs(rawValue);
      if (value === undefined || attrName === '__proto__' || Object.hasOwn(elem.attrs, attrName)) return undefined;
      elem.attrs[attrName] = value;
      j = close + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.nodes.push(elem);
    else root = elem;
    if (!selfClosing) {
      stack.push(elem);
      openedAt.push(i);
    }
    i = j;
  }
  const open = stack[stack.length - 1];
  if (open) return { unclosed: { name: open.name, at: openedAt[openedAt.length - 1] ?? 0 } };
  return root;
}

/** libxml2's wording for the sax errors users meet most, so messages read as libvirt's do. */
const LIBXML2_WORDING: Record<string, string> = {
  'Non-whitespace before first tag.': "Start tag expected, '<' not found",
  'Text data outside of root node.': 'Extra content at the end of the document',
  'Invalid characters in closing tag': "expected '>'",
  'Unquoted attribute value': 'AttValue: " or \' expected',
};

/** The innermost element open at `end` (name and 1-based line), by a plain walk over the tags before it. */
function openElementBefore(text: string, end: number): { name: string; line: number } | undefined {
  const stack: { name: string; at: number }[] = [];
  const tag = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[!?][^>]*>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  for (let m = tag.exec(text); m && m.index < end; m = tag.exec(text)) {
    if (!m[2]) continue;
    if (m[1]) stack.pop();
    else if (!m[3]) stack.push({ name: m[2], at: m.index });
  }
  const open = stack.at(-1);
  return open && { name: open.name, line: text.slice(0, open.at).split('\n').length };
}

/**
 * libxml2's reason for a sax error at offset `at`, and how far past sax's position libxml2's
 * caret stands (after the offending tag or entity rather than on its last character).
 */
function libxml2Reason(first: string, text: string, at: number): { reason: string; shift: number } {
  if (first === 'Unexpected close tag') {
    const lt = text.lastIndexOf('</', at);
    const close = /^<\/([^\s>]*)/.exec(text.slice(lt))?.[1] ?? '';
    const open = openElementBefore(text, lt);
    if (open)
      return { reason: `Opening and ending tag mismatch: ${open.name} line ${open.line} and ${close}`, shift: 1 };
  }
  if (first === 'Invalid character entity') {
    const amp = text.lastIndexOf('&', at);
    const name = /^&([A-Za-z_][\w.:-]*);/.exec(text.slice(amp))?.[1];
    if (name) return { reason: `Entity '${name}' not defined`, shift: 1 };
  }
  return { reason: LIBXML2_WORDING[first] ?? first, shift: 0 };
}

/**
 * libvirt reports parse errors as libxml2 does: "(document):LINE: reason", then the offending
 * line and a caret under the position.
 */
/** A start tag the document ends inside of ("<domain" at the end), with its 1-based line. */
function unterminatedStartTag(text: string): { name: string; line: number } | undefined {
  const lt = text.lastIndexOf('<');
  const m = lt >= 0 ? /^<([A-Za-z_][\w.:-]*)[^>]*$/.exec(text.slice(lt)) : null;
  if (!m?.[1]) return undefined;
  return { name: m[1], line: text.slice(0, lt).split('\n').length };
}

/**
 * The two lines libvirt prints under a libxml2 error: the input line holding the parser's
 * position, then dashes (tabs kept) up to a caret. A position on a line break counts as the
 * end of the line before it.
 */
function errorWindow(text: string, at: number): string {
  let cur = Math.min(at, text.length);
  const isBreak = (i: number) => text[i] === '\n' || text[i] === '\r';
  while (cur > 0 && isBreak(cur)) cur--;
  while (cur > 0 && !isBreak(cur)) cur--;
  if (isBreak(cur)) cur++;
  const column = at - cur;
  let end = cur;
  while (end < text.length && !isBreak(end)) end++;
  const line = text.slice(cur, end);
  let marker = '';
  for (let n = 0; n < column && n < line.length; n++) marker += line[n] === '\t' ? '\t' : '-';
  return `${line}\n${marker}^`;
}

function syntaxError(err: unknown, docLabel: string, domain: ErrorDomain, text: string): VirError {
  const raw = err instanceof Error ? err.message : 'document is empty';
  const [first = raw, ...rest] = raw.split('\n');
  const lineMatch = /Line: (\d+)/.exec(rest.join('\n'));
  const colMatch = /Column: (\d+)/.exec(rest.join('\n'));
  const lineIndex = Number(lineMatch?.[1] ?? 0);
  const lines = text.split('\n');
  const at = lines.slice(0, lineIndex).reduce((n, l) => n + l.length + 1, 0) + Number(colMatch?.[1] ?? 1) - 1;
  let { reason, shift } = libxml2Reason(first, text, at);
  const openTag = first === 'Unexpected end' ? unterminatedStartTag(text) : undefined;
  if (openTag) reason = `Couldn't find end of Start Tag ${openTag.name} line ${openTag.line}`;
  let detail = `${docLabel}${lineMatch ? `:${lineIndex + 1}` : ''}: ${reason}`;
  if (openTag && lineMatch) {
    // libxml2 (2.13 and later) gives up on the open tag before the blanks that end the input.
    detail += `\n${errorWindow(text, text.trimEnd().length)}`;
  } else if (lineMatch && colMatch) {
    const lineText = (lines[lineIndex] ?? '').slice(0, 80);
    const column = Number(colMatch[1]) - 1 + shift;
    // libxml2 marks the position with dashes up to a caret.
    detail += `\n${lineText}\n${'-'.repeat(Math.min(Math.max(column, 0), lineText.length))}^`;
  }
  return new VirError({ code: ErrorCode.XML_DETAIL, domain, detail, cause: err });
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

/** libvirt's virBufferEscapeString (the same five entities in text and attributes). */
export const escapeXml = esc;

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Serialize in libvirt's canonical layout; the result ends with a newline. */
export function serializeXml(root: OutNode, indent = 0): string {
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
  const attrs = Object.entries(elem.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
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
  const attrs = Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return n.nodes.length === 0
    ? `<${n.name}${attrs}/>`
    : `<${n.name}${attrs}>${n.nodes.map(inlineRaw).join('')}</${n.name}>`;
}

/** Serialize a parsed element (and everything under it) back to text, e.g. to hand a subtree to another parser. */
export function serializeElement(elem: XmlElement): string {
  const out: string[] = [];
  writeRaw(elem, 0, out);
  return out.join('');
}
