/**
 * Issue 5 (streams): volume upload and download through tsvirt's client against the real
 * libvirtd's storage driver (qemu:///session as nobody; a dir pool in the daemon's temp dir),
 * compared byte for byte with what is on disk.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, connect, ErrorCode, ErrorDomain, type StoragePool } from '@tsvirt/core';
import { driver, type RemoteConnection } from '@tsvirt/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from '../cli/run-both.js';
import { type Libvirtd, libvirtdUnavailable, startLibvirtdWithPoolDir } from './libvirtd.js';

const skip = libvirtdUnavailable();
const MiB = 1024 * 1024;

/** Yield `data` in pieces of `size` bytes (a caller's source need not match the wire's chunks). */
async function* pieces(data: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < data.byteLength; at += size) yield data.subarray(at, at + size);
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

describe.skipIf(skip)("volume upload/download through tsvirt's client and the real libvirtd", () => {
  let l: Libvirtd;
  let conn: Connection;
  let pool: StoragePool;
  let poolDir: string;
  beforeAll(async () => {
    ({ libvirtd: l, poolDir } = await startLibvirtdWithPoolDir());
    conn = await connect(`qemu+unix:///session?socket=${l.socket}`, { drivers: [driver] });
    pool = await conn.createStoragePoolXml(
      `<pool type='dir'><name>streams</name><target><path>${poolDir}</path></target></pool>`,
    );
    await pool.createVolumeXml(
      `<volume><name>disk.raw</name><capacity unit='MiB'>8</capacity><target><format type='raw'/></target></volume>`,
    );
  }, 30_000);
  afterAll(async () => {
    await conn?.close();
    await l?.stop();
  });

  it('uploads a few MiB, downloads them back, both equal to the file', async () => {
    const data = new Uint8Array(randomBytes(3 * MiB + 12345));
    const vol = await pool.lookupVolumeByName('disk.raw');
    // Odd-sized pieces: the client re-cuts them into libvirt's 256 KiB stream packets.
    await vol.upload(pieces(data, 100_000));
    const onDisk = await readFile(join(poolDir, 'disk.raw'));
    expect(onDisk.subarray(0, data.byteLength).equals(data)).toBe(true);
    const back = await collect(await vol.download({ length: data.byteLength }));
    expect(back.equals(Buffer.from(data))).toBe(true);
    // The whole volume (length 0: to the end) is its 8 MiB.
    const all = await collect(await vol.download());
    expect(all.byteLength).toBe(8 * MiB);
    expect(all.equals(onDisk)).toBe(true);
    expect((conn as unknown as { driver: RemoteConnection }).driver.rpc.openStreams).toBe(0);
  }, 60_000);

  it('honours offset and length both ways', async () => {
    const vol = await pool.lookupVolumeByName('disk.raw');
    const patch = new Uint8Array(randomBytes(MiB));
    await vol.upload(pieces(patch, 65536), { offset: 5 * MiB, length: MiB });
    const onDisk = await readFile(join(poolDir, 'disk.raw'));
    expect(onDisk.subarray(5 * MiB, 6 * MiB).equals(patch)).toBe(true);
    const part = await collect(await vol.download({ offset: 5 * MiB + 100, length: 1000 }));
    expect(part.equals(Buffer.from(patch.subarray(100, 1100)))).toBe(true);
  }, 60_000);

  it("a download of a volume that is gone fails with libvirt's error, and the connection stays usable", async () => {
    const vol = await pool.createVolumeXml(
      `<volume><name>gone.raw</name><capacity unit='KiB'>64</capacity><target><format type='raw'/></target></volume>`,
    );
    await vol.delete();
    await expect(vol.download()).rejects.toMatchObject({
      code: ErrorCode.NO_STORAGE_VOL,
      domain: ErrorDomain.STORAGE,
    });
    await expect(vol.upload(pieces(new Uint8Array(10), 10))).rejects.toMatchObject({ code: ErrorCode.NO_STORAGE_VOL });
    expect((await pool.listAllVolumes()).map((v) => v.getName())).toEqual(['disk.raw']);
  });

  it('a source that fails mid-upload aborts the stream and reports its own error', async () => {
    const vol = await pool.lookupVolumeByName('disk.raw');
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(300_000);
      throw new Error('source broke');
    }
    await expect(vol.upload(failing())).rejects.toThrow('source broke');
    // The daemon confirmed the abort: the connection still answers and no stream is left.
    expect((await vol.getInfo()).capacity).toBe(8 * MiB);
    expect((conn as unknown as { driver: RemoteConnection }).driver.rpc.openStreams).toBe(0);
  });

  it('a reader that stops early aborts the download', async () => {
    const vol = await pool.lookupVolumeByName('disk.raw');
    for await (const _ of await vol.download()) break;
    expect((await vol.getInfo()).capacity).toBe(8 * MiB);
    expect((conn as unknown as { driver: RemoteConnection }).driver.rpc.openStreams).toBe(0);
  });

  describe.skipIf(!virshAvailable())('tsvirsh vol-upload / vol-download next to Debian virsh', () => {
    let work: string;
    const uri = () => `qemu+unix:///session?socket=${l.socket}`;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'tsvirt-volcli-'));
      await chmod(work, 0o755);
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('both upload a file and download it back identically, with --offset and --length', async () => {
      const src = join(work, 'src.bin');
      await writeFile(src, randomBytes(700_000));
      for (const [tool, run] of [
        ['virsh', runVirsh],
        ['tsvirsh', runTsvirsh],
      ] as const) {
        const up = await run(['-c', uri(), 'vol-upload', 'disk.raw', src, '--pool', 'streams', '--offset', '4096']);
        expect(up, tool).toMatchObject({ status: 0, stdout: '\n', stderr: '' });
        const dst = join(work, `${tool}.out`);
        const down = await run([
          '-c',
          uri(),
          'vol-download',
          '--pool',
          'streams',
          'disk.raw',
          dst,
          '--offset',
          '4096',
          '--length',
          '700000',
        ]);
        expect(down, tool).toMatchObject({ status: 0, stderr: '' });
        expect((await readFile(dst)).equals(await readFile(src)), tool).toBe(true);
      }
    }, 60_000);

    const cases: [string, string[]][] = [
      ['a negative (wrapped) length', ['vol-download', 'disk.raw', '@OUT', '--pool', 'streams', '--length', '-1']],
      ['a missing local file', ['vol-upload', 'disk.raw', '/nonexistent/src', '--pool', 'streams']],
      ['a malformed offset', ['vol-upload', 'disk.raw', '/etc/hostname', '--pool', 'streams', '--offset', 'abc']],
      ['a negative offset', ['vol-download', 'disk.raw', '@OUT', '--pool', 'streams', '--offset', '-1']],
      ['an uncreatable target file', ['vol-download', 'disk.raw', '/nonexistent/dir/out', '--pool', 'streams']],
      ['a missing volume', ['vol-download', 'nosuch.raw', '@OUT', '--pool', 'streams']],
    ];
    for (const [title, args] of cases) {
      it(`${title}: the same messages, exit status and files`, async () => {
        const out = (tool: string) => args.map((a) => (a === '@OUT' ? join(work, `${tool}.dl`) : a));
        const [v, t] = await Promise.all([
          runVirsh(['-c', uri(), ...out('virsh')]),
          runTsvirsh(['-c', uri(), ...out('tsvirsh')]),
        ]);
        expect(t).toEqual(v);
        if (args.includes('@OUT')) {
          // A file created for a failed download is removed again; a good one has the bytes.
          const [vf, tf] = await Promise.all(
            ['virsh', 'tsvirsh'].map((tool) => readFile(join(work, `${tool}.dl`)).catch(() => undefined)),
          );
          expect(tf?.equals(vf ?? Buffer.alloc(0)) ?? vf === undefined).toBe(true);
        }
      }, 30_000);
    }
  });

  it('upload and download are refused on a read-only connection', async () => {
    const ro = await connect(`qemu+unix:///session?socket=${l.socket}`, { drivers: [driver], readOnly: true });
    try {
      const vol = await (await ro.lookupStoragePoolByName('streams')).lookupVolumeByName('disk.raw');
      await expect(vol.download()).rejects.toMatchObject({ code: ErrorCode.OPERATION_DENIED });
      await expect(vol.upload(pieces(new Uint8Array(1), 1))).rejects.toMatchObject({
        code: ErrorCode.OPERATION_DENIED,
      });
    } finally {
      await ro.close();
    }
  });
});

describe.skipIf(!virshAvailable())('vol-upload / vol-download on test:///default (no driver support)', () => {
  it('tsvirsh prints what virsh prints, and leaves no file behind', async () => {
    const work = await mkdtemp(join(tmpdir(), 'tsvirt-volcli-test-'));
    try {
      await writeFile(join(work, 'v.xml'), '<volume><name>v1</name><capacity>1048576</capacity></volume>');
      await writeFile(join(work, 'up.txt'), 'hi\n');
      const script = (out: string) =>
        `vol-create default-pool ${work}/v.xml; vol-upload --pool default-pool --vol v1 --file ${work}/up.txt; vol-download --pool default-pool --vol v1 --file ${out}`;
      const [v, t] = await Promise.all([
        runVirsh(['-c', 'test:///default', script(join(work, 'virsh.out'))]),
        runTsvirsh(['-c', 'test:///default', script(join(work, 'tsvirsh.out'))]),
      ]);
      expect(t).toEqual(v);
      expect(v.stderr).toContain('this function is not supported by the connection driver: virStorageVolUpload');
      await expect(readFile(join(work, 'tsvirsh.out'))).rejects.toThrow();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 30_000);
});
