/**
 * A local file as data and holes, and back: what virsh's `--sparse` transfers do with
 * virFileInData (lseek SEEK_DATA / SEEK_HOLE) on upload and lseek + ftruncate on download.
 *
 * Node has no SEEK_DATA or SEEK_HOLE, and reading zeros is not the same thing (a run of written
 * zeros is data, a hole is not). So the map of the file's real extents is asked of a tiny Perl
 * program (perl-base is part of every Debian system), given our own open descriptor on stdin so it
 * sees the very file we read. Where no perl can be run, the whole file counts as data: the answer
 * Linux itself gives for a file system without hole support.
 */
import { spawn } from 'node:child_process';
import { fstatSync, ftruncateSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ErrorCode, ErrorDomain, isStreamHole, type StreamChunk, streamHole, VirError } from '@tsvirt/core';

/** One run of data in a file: bytes [start, end). */
export interface DataExtent {
  readonly start: number;
  readonly end: number;
}

/**
 * Prints "start end" for each data extent of the file on stdin, walking SEEK_DATA (3) and
 * SEEK_HOLE (4) from 0 to the end; ENXIO from SEEK_DATA means only a hole is left. The first
 * SEEK_DATA is always made, so a file that cannot seek (a pipe) fails even when empty; the
 * failure's text (strerror, as libvirt words it) goes to stderr.
 */
const EXTENT_SCRIPT = [
  'my $end = (stat(STDIN))[7]; my $p = 0;',
  'do {',
  '  my $d = sysseek(STDIN, $p, 3);',
  '  if (!defined $d) { exit 0 if $!{ENXIO}; print STDERR "$!\n"; exit 2; }',
  '  my $h = sysseek(STDIN, $d, 4);',
  '  if (!defined $h) { print STDERR "$!\n"; exit 2; }',
  '  print 0 + $d, " ", 0 + $h, "\n"; $p = $h;',
  '} while ($p < $end);',
].join('\n');

/** The file's data extents, from its file system; rejects with the system's reason when it cannot seek. */
export function dataExtents(fd: number, size: number): Promise<DataExtent[]> {
  return new Promise((resolve, reject) => {
    const whole = size > 0 ? [{ start: 0, end: size }] : [];
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('perl', ['-e', EXTENT_SCRIPT], { stdio: [fd, 'pipe', 'pipe'] });
    } catch {
      resolve(whole);
      return;
    }
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    // No perl here: every byte is data.
    child.on('error', () => resolve(whole));
    child.on('close', (code) => {
      if (code !== 0) {
        // virStreamSparseSendAll's words when virsh's hole callback fails.
        const reason = err.trim() || `perl exited with status ${code}`;
        reject(
          new VirError({
            code: ErrorCode.SYSTEM_ERROR,
            domain: ErrorDomain.STREAMS,
            message: `send holeHandler failed: ${reason}`,
          }),
        );
        return;
      }
      const extents = out
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [start, end] = line.split(' ').map(Number);
          return { start: start as number, end: Math.min(end as number, size) };
        })
        .filter((e) => e.end > e.start);
      resolve(extents);
    });
  });
}

const READ_BLOCK = 256 * 1024;

/**
 * The file from its start as a sparse stream, as virStreamSparseSendAll sends it with virsh's
 * callbacks: each hole (up to the next data or the end of the file) as a hole, data in blocks.
 * `onMapFailure` is called when the file's holes cannot be learnt (virsh's "Unable to get current
 * position in stream"), before the error is thrown.
 */
export async function* sparseFileChunks(handle: FileHandle, onMapFailure?: () => void): AsyncIterable<StreamChunk> {
  const size = fstatSync(handle.fd).size;
  let extents: DataExtent[];
  try {
    extents = await dataExtents(handle.fd, size);
  } catch (err) {
    onMapFailure?.();
    throw err;
  }
  let at = 0;
  for (const { start, end } of extents) {
    if (start > at) yield streamHole(start - at);
    for (let pos = start; pos < end; ) {
      const want = Math.min(READ_BLOCK, end - pos);
      const { bytesRead, buffer } = await handle.read(new Uint8Array(want), 0, want, pos);
      if (bytesRead === 0) return; // the file shrank under us: end here, as read() would
      yield buffer.subarray(0, bytesRead);
      pos += bytesRead;
    }
    at = end;
  }
  if (size > at) yield streamHole(size - at);
}

/**
 * Write a stream into an open file from its start, as virsh's sink and skip callbacks do: data
 * at the current position, a hole by moving past it and setting the file's size there (a real
 * hole); a block device gets zeros instead, which is all it can hold.
 */
export async function writeSparseFile(fd: number, chunks: AsyncIterable<StreamChunk>): Promise<void> {
  const isBlock = fstatSync(fd).isBlockDevice();
  let pos = 0;
  for await (const chunk of chunks) {
    if (isStreamHole(chunk)) {
      if (isBlock) {
        for (let left = chunk.hole; left > 0; ) {
          const n = Math.min(left, 1024 * 1024);
          pos += writeAll(fd, new Uint8Array(n), pos);
          left -= n;
        }
        continue;
      }
      pos += chunk.hole;
      ftruncateSync(fd, pos);
      continue;
    }
    pos += writeAll(fd, chunk, pos);
  }
}

function writeAll(fd: number, data: Uint8Array, pos: number): number {
  for (let done = 0; done < data.byteLength; ) done += writeSync(fd, data, done, data.byteLength - done, pos + done);
  return data.byteLength;
}
