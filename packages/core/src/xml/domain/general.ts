/** <name>, <uuid>, <genid>, <title>, <description>, <metadata>: the domain's identity. */
import { ErrorCode } from '../../errors/codes.js';
import { serializeXml, type XmlElement } from '../adapter.js';
import { parseMetadata } from '../network/metadata.js';
import type { XmlWriter } from '../writer.js';
import type { FormatContext, ParseContext } from './context.js';
import type { DomainDef } from './types.js';
import { domainError, internalError, xmlError } from './util/errors.js';
import { childString, childText, firstChild } from './util/parse.js';

export interface DomainMetadata {
  /** The foreign-namespace elements inside <metadata>, kept verbatim. */
  elements: XmlElement[];
}

const HEX = '0123456789abcdef';

/** Parse a UUID in libvirt's lenient syntax (dashes anywhere, any case); undefined when bad. */
export function parseUuid(text: string): string | undefined {
  const s = text.trim();
  let hex = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '-') continue;
    const lc = c.toLowerCase();
    if (!HEX.includes(lc)) return undefined;
    hex += lc;
  }
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random version-4 UUID from the context's random source, as virUUIDGenerate makes. */
export function generateUuid(ctx: ParseContext): string {
  const b = ctx.randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let hex = '';
  for (const byte of b) hex += HEX[byte >> 4]! + HEX[byte & 15]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function parseGeneral(root: XmlElement, def: DomainDef, ctx: ParseContext): void {
  const name = childString(root, 'name');
  if (name === undefined) throw domainError(ErrorCode.NO_NAME);
  if (name.includes('/')) throw xmlError(`name ${name} cannot contain '/'`);
  def.name = name;

  const uuidText = childString(root, 'uuid');
  if (uuidText === undefined) {
    def.uuid = generateUuid(ctx);
    ctx.uuidGenerated = true;
  } else {
    const uuid = parseUuid(uuidText);
    if (!uuid) throw internalError('malformed uuid element');
    def.uuid = uuid;
  }

  const genid = firstChild(root, 'genid');
  if (genid) {
    const text = childText(root, 'genid') ?? '';
    if (text.trim() === '') def.genid = { generated: true, value: generateUuid(ctx) };
    else {
      const value = parseUuid(text);
      if (!value) throw internalError('malformed genid element');
      def.genid = { value, generated: false };
    }
  }

  const title = childString(root, 'title');
  if (title !== undefined) {
    if (title.includes('\n')) throw xmlError("Domain title can't contain newlines");
    def.title = title;
  }
  const description = childString(root, 'description');
  if (description !== undefined) def.description = description;

  const metadata = firstChild(root, 'metadata');
  if (metadata) {
    // Kept even when empty: libvirt formats an empty <metadata/> back.
    def.metadata = { elements: parseMetadata(metadata, [root]) };
  }
}

export function formatGeneral(w: XmlWriter, def: DomainDef, ctx: FormatContext): void {
  w.text('name', def.name);
  w.text('uuid', def.uuid);
  if (def.genid) {
    // A generated genid changes on every start; the persistent config only asks for one.
    if (def.genid.generated && ctx.inactive) w.empty('genid');
    else w.text('genid', def.genid.value);
  }
  if (def.title !== undefined) w.text('title', def.title);
  if (def.description !== undefined) w.text('description', def.description);
  if (def.metadata) {
    w.lines(serializeXml({ name: 'metadata', children: def.metadata.elements.map((raw) => ({ raw })) }, w.level));
  }
}
