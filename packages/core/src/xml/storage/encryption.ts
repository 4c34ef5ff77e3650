/** <encryption> of a volume: format, engine, secrets, and the LUKS cipher/ivgen. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { childElements, firstChild } from '../adapter.js';
import { attrString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, type XmlWriter } from '../writer.js';
import { parseSecretRef, type SecretRef } from './auth.js';

export const ENCRYPTION_FORMATS = ['default', 'qcow', 'luks', 'luks2', 'luks-any'] as const;
export type EncryptionFormat = (typeof ENCRYPTION_FORMATS)[number];
export const ENCRYPTION_ENGINES = ['qemu', 'librbd'] as const;
export type EncryptionEngine = (typeof ENCRYPTION_ENGINES)[number];

export interface EncryptionSecret extends SecretRef {
  type: 'passphrase';
}

export interface StorageEncryption {
  format: EncryptionFormat;
  engine?: EncryptionEngine;
  secrets: EncryptionSecret[];
  cipher?: { name: string; size: number; mode?: string; hash?: string };
  ivgen?: { name: string; hash?: string };
}

const D = ErrorDomain.STORAGE;
const XE = ErrorCode.XML_ERROR;

export function parseEncryption(node: XmlElement): StorageEncryption {
  const format = attrString(node, 'format');
  if (format === undefined) throw xmlError(D, 'unknown volume encryption format', XE);
  if (!(ENCRYPTION_FORMATS as readonly string[]).includes(format)) {
    throw xmlError(D, `unknown volume encryption format type ${format}`, XE);
  }
  const enc: StorageEncryption = { format: format as EncryptionFormat, secrets: [] };
  const engine = attrString(node, 'engine');
  if (engine !== undefined) {
    if (!(ENCRYPTION_ENGINES as readonly string[]).includes(engine)) {
      throw xmlError(D, `unknown volume encryption engine type ${engine}`, XE);
    }
    enc.engine = engine as EncryptionEngine;
  }
  for (const s of childElements(node, 'secret')) {
    const type = attrString(s, 'type');
    if (type === undefined) throw xmlError(D, 'unknown volume encryption secret type', XE);
    if (type !== 'passphrase') throw xmlError(D, `unknown volume encryption secret type ${type}`, XE);
    enc.secrets.push({ type, ...parseSecretRef(s) });
  }
  const cipher = firstChild(node, 'cipher');
  if (cipher) {
    const name = attrString(cipher, 'name');
    if (name === undefined) throw xmlError(D, 'cipher element missing name attribute', XE);
    const size = toUnsigned(cipher.attrs.size, 0xffffffff);
    if (size === undefined) throw xmlError(D, `cannot parse cipher size: '${cipher.attrs.size ?? ''}'`, XE);
    enc.cipher = { name, size };
    const mode = attrString(cipher, 'mode');
    if (mode !== undefined) enc.cipher.mode = mode;
    const hash = attrString(cipher, 'hash');
    if (hash !== undefined) enc.cipher.hash = hash;
  }
  const ivgen = firstChild(node, 'ivgen');
  if (ivgen) {
    const name = attrString(ivgen, 'name');
    if (name === undefined) throw xmlError(D, 'missing ivgen name', XE);
    enc.ivgen = { name };
    const hash = attrString(ivgen, 'hash');
    if (hash !== undefined) enc.ivgen.hash = hash;
  }
  return enc;
}

export function formatEncryption(w: XmlWriter, enc: StorageEncryption): void {
  w.element('encryption', a('format', enc.format) + a('engine', enc.engine), () => {
    for (const s of enc.secrets) w.empty('secret', a('type', s.type) + a('uuid', s.uuid) + a('usage', s.usage));
    if (enc.cipher) {
      w.empty(
        'cipher',
        a('name', enc.cipher.name) +
          a('size', enc.cipher.size) +
          a('mode', enc.cipher.mode) +
          a('hash', enc.cipher.hash),
      );
    }
    if (enc.ivgen) w.empty('ivgen', a('name', enc.ivgen.name) + a('hash', enc.ivgen.hash));
  });
}
