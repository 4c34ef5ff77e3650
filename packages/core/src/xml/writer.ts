/**
 * The one XML writer: plain string building in libvirt's layout (two-space indent,
 * single-quoted attributes, `<x/>` when empty), the way libvirt's virBuffer does. No trees are
 * built, so formatting a document is one pass of string concatenation. Attributes are passed as
 * pre-built strings (a(), yn(), onoff(), or attrs() for an AttrList).
 */
import type { XmlElement } from './adapter.js';

const NEEDS_ESCAPE = /[&<>'"]/;
const ESCAPE_ALL = /[&<>'"]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };

/** libvirt's virBufferEscapeString: the same five entities in text and attributes. */
export function esc(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, (c) => ENTITIES[c]!) : s;
}

export type AttrValue = string | number | boolean | undefined | null;
export type AttrList = ReadonlyArray<readonly [string, AttrValue]>;

/** The attribute text for a [name, value] list; undefined/null values are left out. */
export function attrList(list: AttrList | undefined): string {
  if (!list) return '';
  let s = '';
  for (const [k, v] of list) {
    if (v === undefined || v === null) continue;
    s += ` ${k}='${esc(String(v))}'`;
  }
  return s;
}

/** ` name='value'`, or '' when the value is absent. */
export function a(name: string, value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'number' ? ` ${name}='${value}'` : ` ${name}='${esc(value)}'`;
}

/** ` name='yes|no'` for a tristate boolean. */
export function yn(name: string, value: boolean | undefined): string {
  return value === undefined ? '' : value ? ` ${name}='yes'` : ` ${name}='no'`;
}

/** ` name='on|off'` for a tristate switch. */
export function onoff(name: string, value: boolean | undefined): string {
  return value === undefined ? '' : value ? ` ${name}='on'` : ` ${name}='off'`;
}

const PADS: string[] = [];
for (let i = 0; i < 32; i++) PADS.push('  '.repeat(i));

export class XmlWriter {
  out = '';
  private depth: number;
  private pad: string;

  constructor(depth = 0) {
    this.depth = depth;
    this.pad = PADS[depth] ?? '  '.repeat(depth);
  }

  /** `<name attrs>` and indent; close with close(name). */
  open(name: string, attrs = ''): void {
    this.out += `${this.pad}<${name}${attrs}>\n`;
    this.setDepth(this.depth + 1);
  }

  close(name: string): void {
    this.setDepth(this.depth - 1);
    this.out += `${this.pad}</${name}>\n`;
  }

  /** `<name attrs/>`. */
  empty(name: string, attrs = ''): void {
    this.out += `${this.pad}<${name}${attrs}/>\n`;
  }

  /** `<name attrs>text</name>` (text escaped). */
  text(name: string, text: string, attrs = ''): void {
    this.out += `${this.pad}<${name}${attrs}>${esc(text)}</${name}>\n`;
  }

  /** text() when a value is present (an empty string still prints). */
  optText(name: string, text: string | number | bigint | undefined | null, attrs = ''): void {
    if (text !== undefined && text !== null) this.text(name, String(text), attrs);
  }

  /**
   * An element whose children come from `body` (libvirt's virXMLFormatElement): `<name attrs/>`
   * when body writes nothing, and nothing at all when it has no attributes either.
   */
  element(name: string, attrs: string, body: () => void): void {
    const mark = this.openMaybe(name, attrs);
    body();
    this.endMaybe(mark, name, attrs, attrs !== '');
  }

  /** A line written as given (already escaped), at the current indent; '' writes an empty line. */
  line(content: string): void {
    this.out += content === '' ? '\n' : `${this.pad}${content}\n`;
  }

  /**
   * Copy a parsed element like raw(), except that an element whose only text is whitespace
   * is written empty.
   */
  copy(el: XmlElement): void {
    let attrs = '';
    for (const k in el.attrs) attrs += a(k, el.attrs[k]);
    const elems = el.nodes.filter((n): n is XmlElement => typeof n !== 'string');
    if (elems.length > 0) {
      this.open(el.name, attrs);
      for (const c of elems) this.copy(c);
      this.close(el.name);
      return;
    }
    const text = el.nodes.filter((n): n is string => typeof n === 'string').join('');
    if (text.trim() !== '') this.text(el.name, text, attrs);
    else this.empty(el.name, attrs);
  }

  /**
   * Open an element whose children may all turn out absent. Returns a mark for endMaybe(),
   * which writes `<name attrs/>` (keepEmpty) or nothing when no child was written.
   */
  openMaybe(name: string, attrs = ''): number {
    const mark = this.out.length;
    this.open(name, attrs);
    return mark;
  }

  endMaybe(mark: number, name: string, attrs = '', keepEmpty = false): void {
    // Nothing written since openMaybe: only its `<name attrs>` line (indent, '<', '>', newline).
    const openTagLength = 2 * (this.depth - 1) + name.length + attrs.length + 3;
    if (this.out.length === mark + openTagLength) {
      this.setDepth(this.depth - 1);
      this.out = this.out.slice(0, mark);
      if (keepEmpty) this.empty(name, attrs);
      return;
    }
    this.close(name);
  }

  /** Re-emit a parsed element in libvirt's style (single quotes, re-indented). */
  raw(el: XmlElement): void {
    let attrs = '';
    for (const k in el.attrs) attrs += a(k, el.attrs[k]);
    const elems = el.nodes.filter((n): n is XmlElement => typeof n !== 'string');
    const text = el.nodes.filter((n): n is string => typeof n === 'string').join('');
    if (elems.length === 0) {
      if (text === '') this.empty(el.name, attrs);
      else this.text(el.name, text, attrs);
      return;
    }
    this.open(el.name, attrs);
    for (const c of elems) this.raw(c);
    this.close(el.name);
  }

  /** Append pre-formatted lines (already indented for this depth). */
  lines(s: string): void {
    this.out += s;
  }

  toString(): string {
    return this.out;
  }

  get level(): number {
    return this.depth;
  }

  private setDepth(d: number): void {
    this.depth = d;
    this.pad = PADS[d] ?? '  '.repeat(d);
  }
}
