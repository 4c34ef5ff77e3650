import type { ConsoleStream, DomainConsole, StorageDriver } from '@tsvirt/core';
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
): Promise<RemoteStream> {
  const d = StreamProcedures[name] as ProcedureDef<ArgsOf<Table[K]>, void>;
  const { stream, opened } = rpc.openStream(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, d.proc, (w) =>
    d.args.write(w, args),
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

/** virStorageVolUpload / virStorageVolDownload over the wire. */
export function remoteVolumeStreams(rpc: RpcClient): Pick<StorageDriver, 'uploadVolume' | 'downloadVolume'> {
  return {
    async uploadVolume(vol, data, range, flags) {
      const stream = await openStream(rpc, 'STORAGE_VOL_UPLOAD', { vol, ...range, flags });
      try {
        for await (const chunk of data) await stream.send(chunk);
      } catch (err) {
        // Our source failed (or the daemon reported an error): drop the stream, report why.
        await stream.abort().catch(() => {});
        throw err;
      }
      await stream.finish();
    },
    async downloadVolume(vol, range, flags) {
      const stream = await openStream(rpc, 'STORAGE_VOL_DOWNLOAD', { vol, ...range, flags });
      return (async function* () {
        let finished = false;
        try {
          for await (const chunk of stream) yield chunk;
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
