import { type Connection, connect } from '@tsvirt/core';
import type { Control } from './control.js';

/** Open a connection for the shell; on failure print virsh's message and leave the cause pending. */
export async function openConnection(
  ctl: Control,
  uri: string | undefined,
  readOnly: boolean,
): Promise<Connection | undefined> {
  try {
    return await connect(uri, { readOnly, searchPaths: ctl.searchPaths });
  } catch (e) {
    ctl.saveError(e);
    ctl.error('failed to connect to the hypervisor');
    return undefined;
  }
}

export async function closeConnection(ctl: Control): Promise<void> {
  const c = ctl.conn;
  ctl.conn = undefined;
  if (c) await c.close().catch(() => undefined);
}
