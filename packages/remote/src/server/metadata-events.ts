import { Messages } from '../protocol/procedures.js';
import type { SessionApi } from './handlers.js';

/**
 * VIR_DOMAIN_EVENT_ID_METADATA_CHANGE for one client callback: every change of a domain's title,
 * description or metadata element (optionally of one domain) as
 * DOMAIN_EVENT_CALLBACK_METADATA_CHANGE. Returns the unsubscribe function.
 */
export function relayMetadataChange(s: SessionApi, callbackID: number, onlyUuid: string | undefined): () => void {
  return s.conn.on('domain-metadata-change', (e) => {
    if (onlyUuid && e.domain.getUUIDString() !== onlyUuid) return;
    s.sendMessage(Messages.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE, {
      callbackID,
      dom: e.domain.handle,
      type: e.type,
      nsuri: e.nsuri,
    });
  });
}
