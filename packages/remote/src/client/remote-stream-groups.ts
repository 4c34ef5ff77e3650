import {
  type ConsoleStream,
  type DomainConsole,
  isStreamHole,
  type StorageDriver,
  StorageVolDownloadFlags,
  StorageVolUploadFlags,
} from '@tsvirt/core';
import type { ArgsOf, ProcedureDef } from '../protocol/procedures.js';
import { type StreamProcedureName, StreamProcedures } from '../protocol/stream-procedures.js';
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from '../rpc/constants.js';
import type { RemoteStream } from './remote-stream.js';
import type { RpcClient } from './rpc-client.js';

type Table = typeof StreamProcedures;

/** Send a stream-opening call; resolves with the stream once the daemon accepted it. */
async function openStream<K extends StreamProcedureName>(
  rpc: RpcClient,
  name: K,
  args: ArgsOf<Table[K]>,
  sparse = false,
): Promise<RemoteStream> {
  const d = StreamProcedures[name] as ProcedureDef<ArgsOf<Table[K]>, void>;
  const { stream, opened } = rpc.openStream(
    REMOTE_PROGRAM,
    REMOTE_PROTOCOL_VERSION,
    d.proc,
    (w) => d.args.write(w, args),
    sparse,
  );
  await opened;
  return stream;
}

/** virDomainOpenConsole over the wire: the guest's output in, keystrokes out. */
export function remoteConsole(rpc: RpcClient): DomainConsole {
  return {
    async open(dom, devName, flags): Promise<ConsoleStream> {
      const stream = await openStream(rpc, 'DOMAIN_OPEN_CONSOLE', { dom, devName, flags });
      return {
        output: stream,
        write: (data) => stream.send(data),
        // Closing a console the daemon already ended (the guest went away) is not an error.
        close: () => stream.finish().catch(() => {}),
      };
    },
  };
}

/**
 * virStorageVolUpload / virStorageVolDownload over the wire. With the *_SPARSE_STREAM flag the
 * stream carries holes both ways (VIR_NET_STREAM_HOLE), as libvirt's remote driver opens it.
 */
export function remoteVolumeStreams(rpc: RpcClient): Pick<StorageDriver, 'uploadVolume' | 'downloadVolume'> {
  return {
    async uploadVolume(vol, data, range, flags) {
      const sparse = (flags & StorageVolUploadFlags.SPARSE_STREAM) !== 0;
      const stream = await openStream(rpc, 'STORAGE_VOL_UPLOAD', { vol, ...range, flags }, sparse);
      try {
        for await (const chunk of data) {
          if (isStreamHole(chunk)) await stream.sendHole(chunk);
          else await stream.send(chunk);
        }
      } catch (err) {
        // Our source failed (or the daemon reported an error): drop the stream, report why.
        await stream.abort().catch(() => {});
        throw err;
      }
      await stream.finish();
    },
    async downloadVolume(vol, range, flags) {
      const sparse = (flags & StorageVolDownloadFlags.SPARSE_STREAM) !== 0;
      const stream = await openStream(rpc, 'STORAGE_VOL_DOWNLOAD', { vol, ...range, flags }, sparse);
      return (async function* () {
        let finished = false;
        try {
          yield* stream.chunks();
          await stream.finish();
          finished = true;
        } finally {
          // A reader that stops early aborts the transfer, as virsh does on a write error.
          if (!finished) await stream.abort().catch(() => {});
        }
      })();
    },
  };
}
