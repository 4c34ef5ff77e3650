/** Domain checkpoints over the wire: each method one remote procedure. */
import { type DomainCheckpoints, parseDomainCheckpointXml } from '@tsvirt/core';
import type { ProcedureCaller } from './remote-program.js';

export function remoteCheckpoints(c: ProcedureCaller): DomainCheckpoints {
  return {
    create: (dom, xml, flags) => c('DOMAIN_CHECKPOINT_CREATE_XML', { dom, xml, flags }),
    list: async (dom, flags) => (await c('DOMAIN_LIST_ALL_CHECKPOINTS', { dom, needResults: 1, flags })).items,
    listChildren: async (checkpoint, flags) =>
      (await c('DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN', { checkpoint, needResults: 1, flags })).items,
    lookup: (dom, name, flags) => c('DOMAIN_CHECKPOINT_LOOKUP_BY_NAME', { dom, name, flags }),
    getParent: (checkpoint, flags) => c('DOMAIN_CHECKPOINT_GET_PARENT', { checkpoint, flags }),
    // The server's XML describes an existing checkpoint: read it whole (times, parent, disks, domain).
    getXml: async (checkpoint, flags) =>
      parseDomainCheckpointXml(await c('DOMAIN_CHECKPOINT_GET_XML_DESC', { checkpoint, flags }), { redefine: true }),
    delete: (checkpoint, flags) => c('DOMAIN_CHECKPOINT_DELETE', { checkpoint, flags }),
  };
}
