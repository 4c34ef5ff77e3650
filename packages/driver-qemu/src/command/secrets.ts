/**
 * Secrets handed to QEMU: each is AES-256-CBC encrypted with the domain's master key (the
 * masterKey0 object) and passed as a `secret` object QEMU decrypts itself, so no plain text
 * appears on the command line.
 */
import { createCipheriv } from 'node:crypto';
import { Props } from './props.js';
import type { BuildState } from './state.js';

/** How a <secret> element names the secret. */
export interface SecretRef {
  readonly type?: string;
  readonly uuid?: string;
  readonly usage?: string;
}

/** The -object for a secret with the given plain value, encrypted under the master key. */
export function secretObject(s: BuildState, id: string, plain: Uint8Array): Props {
  const sec = s.ctx.secrets;
  if (!sec)
    return new Props()
      .set('qom-type', 'secret')
      .set('id', id)
      .set('data', Buffer.from(plain).toString('base64'))
      .set('format', 'base64');
  const iv = sec.randomIv();
  const cipher = createCipheriv('aes-256-cbc', sec.masterKey, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return new Props()
    .set('qom-type', 'secret')
    .set('id', id)
    .set('data', data.toString('base64'))
    .set('keyid', 'masterKey0')
    .set('iv', Buffer.from(iv).toString('base64'))
    .set('format', 'base64');
}

/** Looks the secret up through the context and adds its -object; returns the object id. */
export function addSecret(s: BuildState, id: string, ref: SecretRef): string {
  const value = s.ctx.secrets?.lookup(ref) ?? new Uint8Array();
  s.object(secretObject(s, id, value));
  return id;
}
