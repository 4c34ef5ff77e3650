/**
 * Sparse volume streams (VIR_STORAGE_VOL_UPLOAD/DOWNLOAD_SPARSE_STREAM, VIR_NET_STREAM_HOLE)
 * against the real libvirtd's dir pool (qemu:///session as nobody): tsvirt's client and tsvirsh
 * next to Debian's virsh on the same daemon, compared by bytes and by allocated blocks; and
 * tsvirt's server end, with virsh talking to it while it relays to that libvirtd.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type Connection,
  connect,
  ErrorCode,
  ErrorDomain,
  isStreamHole,
  type StoragePool,
  StorageVolDownloadFlags,
  StorageVolUploadFlags,
  type StreamChunk,
  streamHole,
} from '@tsvirt/core';
import { driver, type RemoteConnection, serveSocket } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataExtents } from '../../packages/cli/src/sparse-file.js';
import { runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { removeTsvirtdDir, startTsvirtd } from '../daemon/tsvirtd.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtd, startLibvirtdWithPoolDir } from './libvirtd.js';

const skip = libvirtdUnavailable();
const KiB = 1024;
const MiB = 1024 * KiB;

/** Size, allocated bytes and the data extents the file system reports for a file. */
async function layout(path: string): Promise<{ size: number; allocated: number; extents: [number, number][] }> {
  const st = await stat(path);
  const fd = openSync(path, 'r');
  try {
    const extents = (await dataExtents(fd, st.size)).map((e): [number, number] => [e.start, e.end]);
    return { size: st.size, allocated: st.blocks * 512, extents };
  } finally {
    closeSync(fd);
  }
}

/** A sparse file: data at the given offsets, holes elsewhere, `size` bytes long. */
function writeSparse(path: string, size: number, parts: [number, Uint8Array][]): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    for (const [at, data] of parts) writeSync(fd, data, 0, data.byteLength, at);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

async function collect(it: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

/** Data and holes merged into sections: ['data', n] / ['hole', n]. */
function sections(chunks: StreamChunk[]): [string, number][] {
  const out: [string, number][] = [];
  for (const c of chunks) {
    const kind = isStreamHole(c) ? 'hole' : 'data';
    const n = isStreamHole(c) ? c.hole : c.byteLength;
    const last = out[out.length - 1];
    if (last && last[0] === kind) last[1] += n;
    else out.push([kind, n]);
  }
  return out;
}

const PYTHON = '/usr/bin/python3';
const execFileAsync = promisify(execFile);
/** libvirt-python: a sparse upload sending one hole of argv[2] bytes with flags argv[3], then finishing. */
const HOLE_SCRIPT = `
import json, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open(sys.argv[1])
v = c.storagePoolLookupByName('sparse').storageVolLookupByName('relay.raw')
st = c.newStream(0)
v.upload(st, 0, 0, libvirt.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
try:
    st.sendHole(int(sys.argv[2]), int(sys.argv[3]))
    st.send(b'x' * 10)
    st.finish()
    print(json.dumps(None))
except libvirt.libvirtError as e:
    print(json.dumps({'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()}))
`;

const volXml = (name: string) =>
  `<volume><name>${name}</name><capacity unit='MiB'>8</capacity><allocation>0</allocation><target><format type='raw'/></target></volume>`;

describe.skipIf(skip)('sparse volume streams against the real libvirtd', () => {
  let l: Libvirtd;
  let conn: Connection;
  let pool: StoragePool;
  let poolDir: string;
  let work: string;
  const a = new Uint8Array(randomBytes(MiB));
  const b = new Uint8Array(randomBytes(512 * KiB));
  beforeAll(async () => {
    ({ libvirtd: l, poolDir } = await startLibvirtdWithPoolDir());
    conn = await connect(`qemu+unix:///session?socket=${l.socket}`, { drivers: [driver] });
    pool = await conn.createStoragePoolXml(
      `<pool type='dir'><name>sparse</name><target><path>${poolDir}</path></target></pool>`,
    );
    work = await mkdtemp(join(tmpdir(), 'tsvirt-sparse-'));
    await chmod(work, 0o755);
    // 1 MiB data, 2 MiB hole, 512 KiB data, 2.5 MiB hole (6 MiB in all).
    writeSparse(join(work, 'src.img'), 6 * MiB, [
      [0, a],
      [3 * MiB, b],
    ]);
  }, 30_000);
  afterAll(async () => {
    await conn?.close();
    await l?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the source file really has holes (the file system reports two data extents)', async () => {
    const src = await layout(join(work, 'src.img'));
    expect(src.extents).toEqual([
      [0, MiB],
      [3 * MiB, 3 * MiB + 512 * KiB],
    ]);
    expect(src.allocated).toBe(MiB + 512 * KiB);
  });

  it('an upload with holes makes a sparse volume; a sparse download gives the same holes back', async () => {
    const vol = await pool.createVolumeXml(volXml('api.raw'));
    async function* chunks(): AsyncIterable<StreamChunk> {
      yield a;
      yield streamHole(2 * MiB);
      yield b;
      yield streamHole(2 * MiB + 512 * KiB);
    }
    await vol.upload(chunks(), {}, StorageVolUploadFlags.SPARSE_STREAM);
    const onDisk = await layout(join(poolDir, 'api.raw'));
    const src = await layout(join(work, 'src.img'));
    // libvirtd sets the file's size at the end of the last hole, as the source file's.
    expect(onDisk).toEqual(src);
    expect((await readFile(join(poolDir, 'api.raw'))).equals(await readFile(join(work, 'src.img')))).toBe(true);

    const got = await collect(await vol.downloadWithHoles({}, StorageVolDownloadFlags.SPARSE_STREAM));
    expect(sections(got)).toEqual([
      ['data', MiB],
      ['hole', 2 * MiB],
      ['data', 512 * KiB],
      ['hole', 2 * MiB + 512 * KiB],
    ]);
    // Read as plain bytes (virStreamRecv), the holes are zeros.
    const plain: Uint8Array[] = [];
    for await (const c of await vol.download({}, StorageVolDownloadFlags.SPARSE_STREAM)) plain.push(c);
    expect(Buffer.concat(plain).equals(await readFile(join(work, 'src.img')))).toBe(true);
    // Without the flag the daemon sends no holes.
    const dense = await collect(await vol.downloadWithHoles({ length: 4 * MiB }));
    expect(sections(dense)).toEqual([['data', 4 * MiB]]);
    expect((conn as unknown as { driver: RemoteConnection }).driver.rpc.openStreams).toBe(0);
  }, 60_000);

  it("a hole on a stream opened without the flag is refused by the client with libvirt's error", async () => {
    const vol = await pool.createVolumeXml(volXml('nosparse.raw'));
    async function* chunks(): AsyncIterable<StreamChunk> {
      yield a;
      yield streamHole(MiB);
    }
    await expect(vol.upload(chunks())).rejects.toMatchObject({
      code: ErrorCode.OPERATION_INVALID,
      domain: ErrorDomain.RPC,
      message: 'Requested operation is not valid: Skipping is not supported with this stream',
    });
    expect((conn as unknown as { driver: RemoteConnection }).driver.rpc.openStreams).toBe(0);
  });

  it("a zero-length hole is refused by libvirtd's file stream: the upload fails (libvirt's own client would wait for ever)", async () => {
    const vol = await pool.createVolumeXml(volXml('zero.raw'));
    async function* chunks(): AsyncIterable<StreamChunk> {
      yield streamHole(0);
      await new Promise((r) => setTimeout(r, 200));
      yield a;
    }
    // libvirtd logs the file stream's reason, then aborts the stream (which clears that error) and
    // answers with an error REPLY under the stream's serial that carries no reason of its own.
    const err = await vol.upload(chunks(), {}, StorageVolUploadFlags.SPARSE_STREAM).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.RPC });
    expect((err as Error).message).toContain('Library function returned error');
    expect(await l.log()).toContain('length in virFDStreamSendHole must be greater than zero');
    expect((await vol.getInfo()).capacity).toBe(8 * MiB);
  });

  describe.skipIf(!virshAvailable())('tsvirsh --sparse next to Debian virsh', () => {
    const uri = () => `qemu+unix:///session?socket=${l.socket}`;

    it('vol-upload --sparse: both make the same sparse volume from the same file', async () => {
      for (const tool of ['virsh', 'tsvirsh']) await pool.createVolumeXml(volXml(`up-${tool}.raw`));
      const results = await Promise.all(
        (
          [
            ['virsh', runVirsh],
            ['tsvirsh', runTsvirsh],
          ] as const
        ).map(([tool, run]) =>
          run(['-c', uri(), 'vol-upload', `up-${tool}.raw`, join(work, 'src.img'), '--pool', 'sparse', '--sparse']),
        ),
      );
      expect(results[1]).toEqual(results[0]);
      expect(results[0]).toMatchObject({ status: 0, stderr: '' });
      const [v, t] = await Promise.all(['virsh', 'tsvirsh'].map((tool) => layout(join(poolDir, `up-${tool}.raw`))));
      expect(t).toEqual(v);
      expect(t?.allocated).toBe(MiB + 512 * KiB);
      const [vb, tb] = await Promise.all(['virsh', 'tsvirsh'].map((tool) => readFile(join(poolDir, `up-${tool}.raw`))));
      expect(tb?.equals(vb as Buffer)).toBe(true);
    }, 60_000);

    it('vol-download --sparse: both write the same bytes with the same holes; without it, no holes', async () => {
      await pool.createVolumeXml(volXml('down.raw'));
      await runVirsh(['-c', uri(), 'vol-upload', 'down.raw', join(work, 'src.img'), '--pool', 'sparse', '--sparse']);
      for (const sparse of [true, false]) {
        const outs = ['virsh', 'tsvirsh'].map((tool) => join(work, `down-${tool}-${sparse}.img`));
        const extra = sparse ? ['--sparse'] : [];
        const [v, t] = await Promise.all([
          runVirsh(['-c', uri(), 'vol-download', 'down.raw', outs[0] as string, '--pool', 'sparse', ...extra]),
          runTsvirsh(['-c', uri(), 'vol-download', 'down.raw', outs[1] as string, '--pool', 'sparse', ...extra]),
        ]);
        expect(t).toEqual(v);
        expect(v).toMatchObject({ status: 0, stderr: '' });
        const [vl, tl] = await Promise.all(outs.map((o) => layout(o)));
        expect(tl).toEqual(vl);
        expect(tl?.allocated).toBe(sparse ? MiB + 512 * KiB : 6 * MiB);
        const [vb, tb] = await Promise.all(outs.map((o) => readFile(o)));
        expect(tb?.equals(vb as Buffer)).toBe(true);
        expect(tb?.equals(await readFile(join(work, 'src.img')))).toBe(true);
      }
    }, 60_000);

    it("tsvirt's server takes virsh's holes and sends libvirtd's holes on (relaying to libvirtd)", async () => {
      // An in-process tsvirt server whose connections are tsvirt remote connections to libvirtd:
      // virsh -> tsvirt server -> tsvirt client -> libvirtd.
      const sock = join(work, 'relay.sock');
      const server: Server = createServer((s) => {
        serveSocket(s, {
          open: (_name, readOnly) =>
            connect(`qemu+unix:///session?socket=${l.socket}`, { drivers: [driver], readOnly }),
        });
      });
      await new Promise<void>((r) => server.listen(sock, r));
      try {
        const relay = `qemu+unix:///session?socket=${sock}`;
        await pool.createVolumeXml(volXml('relay.raw'));
        const up = await runVirsh([
          '-c',
          relay,
          'vol-upload',
          'relay.raw',
          join(work, 'src.img'),
          '--pool',
          'sparse',
          '--sparse',
        ]);
        expect(up).toMatchObject({ status: 0, stderr: '' });
        expect(await layout(join(poolDir, 'relay.raw'))).toEqual(await layout(join(work, 'src.img')));
        const out = join(work, 'relay-down.img');
        const down = await runVirsh(['-c', relay, 'vol-download', 'relay.raw', out, '--pool', 'sparse', '--sparse']);
        expect(down).toMatchObject({ status: 0, stderr: '' });
        expect(await layout(out)).toEqual(await layout(join(work, 'src.img')));
        expect((await readFile(out)).equals(await readFile(join(work, 'src.img')))).toBe(true);

        // Holes libvirtd's file streams refuse (length 0 or less, any flag) fail the stream with
        // the reason, which libvirt's own client then reports from virStreamFinish.
        if (spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0) {
          for (const [length, flags, message] of [
            [0, 0, 'length in virStreamSendHole must be greater than zero'],
            [-5, 0, 'length in virStreamSendHole must be greater than zero'],
            [4096, 1, 'unsupported flags (0x1) in function virStreamSendHole'],
          ] as const) {
            // Asynchronously: the server answering it runs in this process.
            const r = await execFileAsync(PYTHON, ['-c', HOLE_SCRIPT, relay, String(length), String(flags)], {
              encoding: 'utf8',
              timeout: 20_000,
            });
            expect(JSON.parse(r.stdout), `hole ${length} flags ${flags}`).toEqual({
              code: ErrorCode.INVALID_ARG,
              domain: ErrorDomain.STREAMS,
              message,
            });
          }
        }
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }, 60_000);
  });
});

describe.skipIf(!virshAvailable() || !!skip)(
  '--sparse on test:///default (no volume transfers in the test driver)',
  () => {
    it('virsh through tsvirtd prints what virsh prints through libvirtd', async () => {
      const work = await mkdtemp(join(tmpdir(), 'tsvirt-sparse-test-'));
      const [l, d] = await Promise.all([startLibvirtd(), startTsvirtd()]);
      try {
        await chmod(work, 0o755);
        writeSparse(join(work, 'up.img'), 2 * MiB, [[0, new Uint8Array(10)]]);
        const script = `vol-create-as default-pool v1 1M; vol-upload --pool default-pool v1 ${work}/up.img --sparse; vol-download --pool default-pool v1 ${work}/out.img --sparse`;
        const [v, t] = await Promise.all([
          runVirsh(['-c', l.unixUri(), script]),
          runVirsh(['-c', d.unixUri(), script]),
        ]);
        expect(t).toEqual(v);
        expect(v.stderr).toContain('this function is not supported by the connection driver: virStorageVolUpload');
        expect(v.stderr).toContain('this function is not supported by the connection driver: virStorageVolDownload');
      } finally {
        await Promise.all([l.stop(), d.stop()]);
        await removeTsvirtdDir(d);
        await rm(work, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
