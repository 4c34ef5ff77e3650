import { closeSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileError } from './errors.js';

/** virsh refuses XML files larger than this (VSH_MAX_XML_FILE). */
const MAX_XML_FILE = 10 * 1024 * 1024;

/** Read a file as virsh's virFileReadAll does, with libvirt's error wording on failure. */
export function readXmlFile(path: string): string {
  const full = resolve(path);
  let fd: number;
  try {
    fd = openSync(full, 'r');
  } catch (e) {
    throw fileError('open', path, e as NodeJS.ErrnoException);
  }
  try {
    const data = readFileSync(fd);
    if (data.length > MAX_XML_FILE) {
      throw fileError('read', path, Object.assign(new Error('File too large'), { code: 'EFBIG' }));
    }
    return data.toString('utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'EFBIG') throw e;
    throw fileError('read', path, e as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
}
