/**
 * `vol-upload` and `vol-download`: a file's bytes into a storage volume and back, over
 * virStorageVolUpload / virStorageVolDownload streams, with virsh's options and messages.
 * `--sparse` sends and receives holes (sparse streams) instead of their zeros.
 */
import { createWriteStream, openSync, unlinkSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { StorageVolDownloadFlags, StorageVolUploadFlags, type StreamChunk } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optVol, requiredString } from '../lookup.js';
import type { ParsedCommand } from '../parse-args.js';
import { sparseFileChunks, writeSparseFile } from '../sparse-file.js';
import { VOL_POOL_OPT } from './managed-object.js';
import { type CommandDef, opt } from './types.js';

/**
 * virsh's unsigned long long options: digits only, else its "malformed or out of range" error.
 * `wrap` (virsh's --length) also takes a negative number as 2^64 minus it, which asks for
 * everything: beyond what a volume can hold, it is sent as 0 (no limit), which means the same.
 */
function byteOpt(ctl: Control, cmd: ParsedCommand, name: string, wrap = false): number | undefined | false {
  const text = cmd.string(name);
  if (text === undefined) return undefined;
  const m = /^([+-]?)(\d+)$/.exec(text);
  const value = m ? BigInt(m[2] as string) : -1n;
  if (!m || value > 2n ** 64n - 1n || (m[1] === '-' && (!wrap || value > 2n ** 63n))) {
    ctl.error(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
    return false;
  }
  if (m[1] === '-' && value > 0n) return 0;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? (wrap ? 0 : Number.MAX_SAFE_INTEGER) : Number(value);
}

function transferOpts(direction: 'to' | 'from') {
  return [
    opt.data('vol', 'vol name, key or path'),
    opt.data('file', 'file'),
    VOL_POOL_OPT,
    opt.string('offset', direction === 'to' ? 'volume offset to upload to' : 'volume offset to download from'),
    opt.string('length', direction === 'to' ? 'amount of data to upload' : 'amount of data to download'),
    opt.bool('sparse', 'preserve sparseness of volume'),
  ];
}

/** Options shared by both commands, parsed in virsh's order; false when one is bad. */
function range(ctl: Control, cmd: ParsedCommand): { offset: number; length: number } | false {
  const offset = byteOpt(ctl, cmd, 'offset');
  if (offset === false) return false;
  const length = byteOpt(ctl, cmd, 'length', true);
  if (length === false) return false;
  return { offset: offset ?? 0, length: length ?? 0 };
}

const volUpload: CommandDef = {
  name: 'vol-upload',
  group: 'volume',
  help: 'upload file contents to a volume',
  desc: 'Upload file contents to a volume',
  opts: transferOpts('to'),
  async run(ctl, cmd) {
    const r = range(ctl, cmd);
    if (!r) return false;
    const { vol } = await optVol(ctl, cmd);
    const file = requiredString(ctl, cmd, 'file');
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch {
      ctl.error(`cannot read ${file}`);
      return false;
    }
    const name = vol.getName();
    const sparse = cmd.bool('sparse');
    // virsh's message names the step that failed: opening the stream, sending, or finishing it.
    let stage = `cannot upload to volume ${name}`;
    async function* source(): AsyncIterable<StreamChunk> {
      stage = `cannot send data to volume ${name}`;
      if (sparse) yield* sparseFileChunks(handle, () => ctl.error('Unable to get current position in stream'));
      else yield* handle.createReadStream({ highWaterMark: 256 * 1024, autoClose: false });
      stage = `cannot close volume ${name}`;
    }
    try {
      await vol.upload(source(), r, sparse ? StorageVolUploadFlags.SPARSE_STREAM : 0);
      return true;
    } catch (e) {
      ctl.saveError(e);
      ctl.error(stage);
      return false;
    } finally {
      await handle.close().catch(() => {});
    }
  },
};

const volDownload: CommandDef = {
  name: 'vol-download',
  group: 'volume',
  help: 'download volume contents to a file',
  desc: 'Download volume contents to a file',
  opts: transferOpts('from'),
  async run(ctl, cmd) {
    const r = range(ctl, cmd);
    if (!r) return false;
    const { vol } = await optVol(ctl, cmd);
    const file = requiredString(ctl, cmd, 'file');
    // As virsh: create the file if it is new (and remove it again on failure), else truncate it.
    let created = false;
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o666);
      created = true;
    } catch (e) {
      try {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        fd = openSync(file, 'w', 0o666);
      } catch {
        ctl.error(`cannot create ${file}`);
        return false;
      }
    }
    const name = vol.getName();
    const sparse = cmd.bool('sparse');
    const out = createWriteStream(file, { fd });
    let ok = false;
    try {
      let data: AsyncIterable<StreamChunk>;
      try {
        data = await vol.downloadWithHoles(r, sparse ? StorageVolDownloadFlags.SPARSE_STREAM : 0);
      } catch (e) {
        ctl.saveError(e);
        ctl.error(`cannot download from volume ${name}`);
        return false;
      }
      try {
        // Holes become holes in the file (virsh seeks past them and sets the file's size).
        if (sparse) await writeSparseFile(fd, data);
        else {
          for await (const chunk of data) {
            if (chunk instanceof Uint8Array && !out.write(chunk)) {
              await new Promise<void>((resolve) => out.once('drain', resolve));
            }
          }
        }
      } catch (e) {
        ctl.saveError(e);
        ctl.error(`cannot receive data from volume ${name}`);
        return false;
      }
      try {
        await new Promise<void>((resolve, reject) => {
          out.once('error', reject);
          out.end(resolve);
        });
      } catch {
        ctl.error(`cannot close file ${file}`);
        return false;
      }
      ok = true;
      return true;
    } finally {
      if (!ok) {
        out.destroy();
        if (created) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      }
    }
  },
};

export const volumeTransferCommands: readonly CommandDef[] = [volUpload, volDownload];
