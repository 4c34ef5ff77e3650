import { xflags, xoptString, xstruct, xuhyperNumber, xvoid } from './codec.js';
import { xdomain, xvol } from './objects.js';
import type { ProcedureDef } from './procedures.js';

function def<A>(proc: number, args: ProcedureDef<A, void>['args']): ProcedureDef<A, void> {
  return { proc, args, ret: xvoid };
}

const volRange = xstruct({ vol: xvol, offset: xuhyperNumber, length: xuhyperNumber, flags: xflags });

/**
 * Procedures that open a data stream (remote_protocol.x marks them readstream/writestream): the
 * call is answered with an empty ret, then data travels as STREAM messages carrying the call's
 * serial. Kept apart from `Procedures` because neither side can run them as plain calls.
 */
export const StreamProcedures = {
  /** Both directions: the guest's output to the client, the client's keystrokes to the guest. */
  DOMAIN_OPEN_CONSOLE: def(201, xstruct({ dom: xdomain, devName: xoptString, flags: xflags })),
  /** Client → daemon: bytes written into the volume. */
  STORAGE_VOL_UPLOAD: def(208, volRange),
  /** Daemon → client: the volume's bytes. */
  STORAGE_VOL_DOWNLOAD: def(209, volRange),
} as const;
export type StreamProcedureName = keyof typeof StreamProcedures;

/** Stream procedures by number, for the dispatcher. */
export const StreamProceduresByNumber: ReadonlyMap<number, StreamProcedureName> = new Map(
  (Object.entries(StreamProcedures) as [StreamProcedureName, ProcedureDef<unknown, void>][]).map(([name, d]) => [
    d.proc,
    name,
  ]),
);
