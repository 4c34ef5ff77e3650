/** Server side of the domain checkpoint procedures. */
import type { CheckpointRef } from '@tsvirt/core';
import type { CheckpointProcedures } from '../protocol/checkpoint-procedures.js';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import type { SessionApi } from './handlers.js';

type Table = typeof CheckpointProcedures;
type Run<K extends keyof Table> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>>;

const domain = (s: SessionApi, uuid: string) => s.conn.lookupDomainByUuid(uuid);
/** As libvirtd: a handle from the wire's name, so the driver's own checks come in its order. */
async function checkpoint(s: SessionApi, ref: CheckpointRef) {
  return (await domain(s, ref.domain.uuid)).checkpointHandle(ref.name);
}
/** A LIST_ALL ret: the handles only when asked for, and their count. */
const listed = (needResults: number, items: { handle: CheckpointRef }[]) => ({
  items: needResults ? items.map((x) => x.handle) : [],
  ret: items.length,
});

export const checkpointHandlers: { [K in keyof Table]: Run<K> } = {
  DOMAIN_CHECKPOINT_CREATE_XML: async (s, a) =>
    (await (await domain(s, a.dom.uuid)).createCheckpointXml(a.xml, a.flags)).handle,
  DOMAIN_CHECKPOINT_GET_XML_DESC: async (s, a) => (await checkpoint(s, a.checkpoint)).getXmlDesc(a.flags),
  DOMAIN_LIST_ALL_CHECKPOINTS: async (s, a) =>
    listed(a.needResults, await (await domain(s, a.dom.uuid)).listAllCheckpoints(a.flags)),
  DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN: async (s, a) =>
    listed(a.needResults, await (await checkpoint(s, a.checkpoint)).listAllChildren(a.flags)),
  DOMAIN_CHECKPOINT_LOOKUP_BY_NAME: async (s, a) =>
    (await (await domain(s, a.dom.uuid)).checkpointLookupByName(a.name, a.flags)).handle,
  DOMAIN_CHECKPOINT_GET_PARENT: async (s, a) => (await (await checkpoint(s, a.checkpoint)).getParent(a.flags)).handle,
  DOMAIN_CHECKPOINT_DELETE: async (s, a) => (await checkpoint(s, a.checkpoint)).delete(a.flags),
};
