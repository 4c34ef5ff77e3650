import { isStreamHole, StorageVolDownloadFlags, type StorageVolRef, StorageVolUploadFlags } from '@tsvirt/core';
import type { ArgsOf, ProcedureDef } from '../protocol/procedures.js';
import { type StreamProcedureName, StreamProcedures } from '../protocol/stream-procedures.js';
import type { SessionApi } from './handlers.js';
import { PushSource } from './push-source.js';
import type { LocalStream } from './streams.js';

type Table = typeof StreamProcedures;
type Opener<K extends StreamProcedureName> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<LocalStream>;
export interface StreamHandlerEntry {
  def: ProcedureDef<unknown, void>;
  open: (s: SessionApi, args: unknown) => Promise<LocalStream>;
}

async function volume(s: SessionApi, ref: StorageVolRef) {
  return (await s.conn.lookupStoragePoolByName(ref.pool)).lookupVolumeByName(ref.name);
}

/** Lets a promise's immediate rejection (a refused call) surface before the call is answered. */
function settledSoon<T>(p: Promise<T>): Promise<void> {
  return Promise.race([p.then(() => {}), new Promise<void>((resolve) => setImmediate(resolve))]);
}

const openers: { [K in StreamProcedureName]: Opener<K> } = {
  DOMAIN_OPEN_CONSOLE: async (s, a) => {
    const dom = await s.conn.lookupDomainByUuid(a.dom.uuid);
    const console = await dom.openConsole(a.devName, a.flags);
    return {
      source: console.output,
      // A console stream is never sparse: the session drops a client that sends it a hole.
      write: async (data) => {
        if (!isStreamHole(data)) await console.write(data);
      },
      finish: () => console.close(),
      abort: () => console.close(),
    };
  },
  STORAGE_VOL_UPLOAD: async (s, a) => {
    const vol = await volume(s, a.vol);
    const data = new PushSource();
    const upload = vol.upload(data, { offset: a.offset, length: a.length }, a.flags);
    // Refusals (read-only, no driver support, a bad range) answer the call itself, as in libvirt.
    await settledSoon(upload);
    let finishing = false;
    return {
      sparse: (a.flags & StorageVolUploadFlags.SPARSE_STREAM) !== 0,
      write: (chunk) => data.push(chunk),
      finish: async () => {
        finishing = true;
        data.end();
        await upload;
      },
      abort: async () => {
        data.fail();
        await upload.catch(() => {});
      },
      // A driver that fails before the client finished ends the stream with its error.
      failure: upload.then(
        () => new Promise<never>(() => {}),
        (err) => {
          if (finishing) return new Promise<never>(() => {});
          throw err;
        },
      ),
    };
  },
  STORAGE_VOL_DOWNLOAD: async (s, a) => {
    const vol = await volume(s, a.vol);
    const it = (await vol.downloadWithHoles({ offset: a.offset, length: a.length }, a.flags))[Symbol.asyncIterator]();
    return {
      sparse: (a.flags & StorageVolDownloadFlags.SPARSE_STREAM) !== 0,
      source: { [Symbol.asyncIterator]: () => it },
      finish: async () => {},
      abort: async () => {
        await it.return?.();
      },
    };
  },
};

/** The stream-opening procedures the daemon serves, by number. */
export const streamHandlers: ReadonlyMap<number, StreamHandlerEntry> = new Map(
  (Object.keys(openers) as StreamProcedureName[]).map((name) => [
    StreamProcedures[name].proc,
    {
      def: StreamProcedures[name] as ProcedureDef<unknown, void>,
      open: openers[name] as (s: SessionApi, args: unknown) => Promise<LocalStream>,
    },
  ]),
);
