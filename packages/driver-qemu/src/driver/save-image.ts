/**
 * The save image file, in libvirt's layout (learned from images libvirt 9.0 writes), so the
 * files look alike to tools that know libvirt's:
 *
 *   0   16 bytes  magic "LibvirtQemudSave" ("LibvirtQemudPart" while still being written)
 *   16  uint32    version (2)
 *   20  uint32    data_len: bytes of the data block that follows the header
 *   24  uint32    was_running (1 when the guest ran when it was saved)
 *   28  uint32    compressed (0: the stream is stored raw; the only format written here)
 *   32  uint32    cookie offset inside the data block (0: none)
 *   36  14 × uint32, zero
 *   92  data block: the domain XML, NUL-terminated, then 64 KiB of zeros (room to edit the XML)
 *   92 + data_len: QEMU's migration stream, to the end of the file
 *
 * Numbers are little-endian (x86 hosts write them natively).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { ErrorCode } from '@tsvirt/core';
import { qemuError } from './errors.js';

export const SAVE_MAGIC = 'LibvirtQemudSave';
export const PARTIAL_MAGIC = 'LibvirtQemudPart';
const VERSION = 2;
const HEADER_SIZE = 92;
const XML_PADDING = 64 * 1024;

export interface SaveImageHeader {
  readonly xml: string;
  readonly wasRunning: boolean;
  /** Where QEMU's stream starts in the file. */
  readonly streamOffset: number;
}

/** Writes the header (with the partial magic) and the XML; answers where the stream starts. */
export async function writeSaveHeader(file: FileHandle, xml: string, wasRunning: boolean): Promise<number> {
  const xmlBytes = Buffer.from(`${xml}\0`, 'utf8');
  const dataLen = xmlBytes.length + XML_PADDING;
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(PARTIAL_MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 16);
  header.writeUInt32LE(dataLen, 20);
  header.writeUInt32LE(wasRunning ? 1 : 0, 24);
  header.writeUInt32LE(0, 28);
  header.writeUInt32LE(0, 32);
  await file.write(Buffer.concat([header, xmlBytes, Buffer.alloc(XML_PADDING)]), 0, undefined, 0);
  return HEADER_SIZE + dataLen;
}

/** Marks a fully written image as complete (the magic is the last thing written). */
export async function completeSaveImage(file: FileHandle): Promise<void> {
  await file.write(Buffer.from(SAVE_MAGIC, 'latin1'), 0, 16, 0);
  await file.sync();
}

/** Reads and checks an image's header, with libvirt's errors for what is wrong with it. */
export async function readSaveHeader(path: string): Promise<SaveImageHeader> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw qemuError(ErrorCode.SYSTEM_ERROR, `Failed to open file '${path}': ${errnoText(err)}`, err);
  }
  try {
    const header = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await file.read(header, 0, HEADER_SIZE, 0);
    if (bytesRead < HEADER_SIZE) throw qemuError(ErrorCode.OPERATION_FAILED, 'failed to read qemu header');
    const magic = header.toString('latin1', 0, 16);
    if (magic !== SAVE_MAGIC) {
      if (magic === PARTIAL_MAGIC) throw qemuError(ErrorCode.OPERATION_FAILED, 'save image is incomplete');
      throw qemuError(ErrorCode.OPERATION_FAILED, 'image magic is incorrect');
    }
    const version = header.readUInt32LE(16);
    if (version > VERSION) {
      throw qemuError(ErrorCode.OPERATION_FAILED, `image version is not supported (${version} > ${VERSION})`);
    }
    const dataLen = header.readUInt32LE(20);
    if (header.readUInt32LE(28) !== 0) {
      throw qemuError(ErrorCode.OPERATION_UNSUPPORTED, 'compressed save images are not supported');
    }
    const data = Buffer.alloc(dataLen);
    const got = await file.read(data, 0, dataLen, HEADER_SIZE);
    if (got.bytesRead < dataLen) throw qemuError(ErrorCode.OPERATION_FAILED, 'failed to read domain XML');
    const end = data.indexOf(0);
    return {
      xml: data.toString('utf8', 0, end < 0 ? dataLen : end),
      wasRunning: header.readUInt32LE(24) !== 0,
      streamOffset: HEADER_SIZE + dataLen,
    };
  } finally {
    await file.close();
  }
}

export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (err as Error).message;
}
