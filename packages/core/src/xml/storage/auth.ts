/** <auth> of network pools (CHAP for iSCSI, cephx for RBD) and its <secret> reference. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import type { XmlElement } from '../adapter.js';
import { firstChild } from '../adapter.js';
import { attrString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { normalizeUuid } from '../common/uuid.js';
import { a, type XmlWriter } from '../writer.js';

export const AUTH_TYPES = ['chap', 'ceph'] as const;
export type StorageAuthType = (typeof AUTH_TYPES)[number];

export interface SecretRef {
  uuid?: string;
  usage?: string;
}

export interface StorageAuth {
  type: StorageAuthType;
  username: string;
  secret: SecretRef;
}

const D = ErrorDomain.STORAGE;
const XE = ErrorCode.XML_ERROR;

export function parseSecretRef(node: XmlElement): SecretRef {
  const uuidText = attrString(node, 'uuid');
  const usage = attrString(node, 'usage');
  if (uuidText !== undefined && usage !== undefined) {
    throw xmlError(
      D,
      'either uuid or usage attribute may be specified for a secret, not both',
      ErrorCode.CONFIG_UNSUPPORTED,
    );
  }
  if (uuidText !== undefined) {
    const uuid = normalizeUuid(uuidText);
    if (!uuid) throw xmlError(D, `invalid secret uuid '${uuidText}'`, XE);
    return { uuid };
  }
  if (usage !== undefined) return { usage };
  throw xmlError(D, 'either secret uuid or usage expected', XE);
}

export function parseAuth(node: XmlElement): StorageAuth {
  const username = attrString(node, 'username');
  if (username === undefined) throw xmlError(D, 'missing username for auth', XE);
  const type = attrString(node, 'type');
  if (type === undefined) throw xmlError(D, 'storage pool missing auth type', ErrorCode.CONFIG_UNSUPPORTED);
  if (!(AUTH_TYPES as readonly string[]).includes(type)) throw xmlError(D, `unknown auth type '${type}'`, XE);
  const secret = firstChild(node, 'secret');
  if (!secret) throw xmlError(D, 'Missing <secret> element in auth', XE);
  return { type: type as StorageAuthType, username, secret: parseSecretRef(secret) };
}

export function formatAuth(w: XmlWriter, auth: StorageAuth): void {
  w.open('auth', a('type', auth.type) + a('username', auth.username));
  w.empty('secret', a('uuid', auth.secret.uuid) + a('usage', auth.secret.usage));
  w.close('auth');
}
