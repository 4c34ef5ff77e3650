/**
 * The remote procedures of domain checkpoints (REMOTE_PROC_DOMAIN_CHECKPOINT_*): numbers and
 * layouts as libvirt 9.0's remote_protocol.x has them.
 */
import type { CheckpointRef } from '@tsvirt/core';
import { type Codec, xarray, xflags, xint, xstring, xstruct, xvoid } from './codec.js';
import { MIN_SIZE, xdomain, xsnapshot } from './objects.js';
import type { ProcedureDef } from './procedures.js';

/** REMOTE_DOMAIN_CHECKPOINT_LIST_MAX. */
const DOMAIN_CHECKPOINT_LIST_MAX = 16384;

function def<A, R>(proc: number, args: Codec<A>, ret: Codec<R>): ProcedureDef<A, R> {
  return { proc, args, ret };
}

/** remote_nonnull_domain_checkpoint: its name, then its domain (a snapshot handle's layout). */
export const xcheckpoint: Codec<CheckpointRef> = xsnapshot;

const chkFlags = xstruct({ checkpoint: xcheckpoint, flags: xflags });
const listRet = xstruct({
  items: xarray(xcheckpoint, DOMAIN_CHECKPOINT_LIST_MAX, MIN_SIZE.snapshot),
  ret: xint,
});

export const CheckpointProcedures = {
  DOMAIN_CHECKPOINT_CREATE_XML: def(411, xstruct({ dom: xdomain, xml: xstring, flags: xflags }), xcheckpoint),
  DOMAIN_CHECKPOINT_GET_XML_DESC: def(412, chkFlags, xstring),
  DOMAIN_LIST_ALL_CHECKPOINTS: def(413, xstruct({ dom: xdomain, needResults: xint, flags: xflags }), listRet),
  DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN: def(
    414,
    xstruct({ checkpoint: xcheckpoint, needResults: xint, flags: xflags }),
    listRet,
  ),
  DOMAIN_CHECKPOINT_LOOKUP_BY_NAME: def(415, xstruct({ dom: xdomain, name: xstring, flags: xflags }), xcheckpoint),
  DOMAIN_CHECKPOINT_GET_PARENT: def(416, chkFlags, xcheckpoint),
  DOMAIN_CHECKPOINT_DELETE: def(417, chkFlags, xvoid),
} as const;
