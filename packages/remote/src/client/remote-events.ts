import type { DriverEvent, EventSource } from '@tsvirt/core';
import { Messages } from '../protocol/procedures.js';
import { MessageType, REMOTE_PROGRAM } from '../rpc/constants.js';
import type { Packet } from '../rpc/packet.js';
import { XdrReader } from '../xdr/reader.js';
import type { ProcedureCaller } from './remote-program.js';
import type { RpcClient } from './rpc-client.js';

/** VIR_DOMAIN_EVENT_ID_LIFECYCLE and VIR_NETWORK_EVENT_ID_LIFECYCLE. */
const LIFECYCLE = 0;
/** VIR_DOMAIN_EVENT_ID_METADATA_CHANGE. */
const METADATA_CHANGE = 23;

/**
 * Lifecycle events from the daemon: on the first subscriber, one domain, one network and one pool callback
 * are registered, plus one for domain metadata changes (server-side filtering by callback id, as libvirt's client does); the event
 * messages are decoded with the shared table and handed to every subscriber in arrival order.
 */
export class RemoteEvents implements EventSource {
  private readonly listeners = new Set<(e: DriverEvent) => void>();
  private registering?: Promise<void>;
  private domainCallback?: number;
  private networkCallback?: number;
  private poolCallback?: number;
  private metadataCallback?: number;
  /** Event messages that arrived before the callback ids were known (replayed once they are). */
  private held?: Packet[];

  constructor(
    rpc: RpcClient,
    private readonly call: ProcedureCaller,
  ) {
    rpc.onMessage((p) => this.onMessage(p));
  }

  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    this.registering ??= this.register().catch(() => {
      // A daemon without events: subscribers simply get none; the next subscribe tries again.
      this.registering = undefined;
    });
    return () => this.listeners.delete(listener);
  }

  /** Wait until the server-side callbacks exist (events caused after this are delivered). */
  ready(): Promise<void> {
    return this.registering ?? Promise.resolve();
  }

  private async register(): Promise<void> {
    this.held = [];
    try {
      // Both calls go out at once; their replies and the first events may share one read.
      const [dom, net, pool, metadata] = await Promise.all([
        this.call('CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY', { eventID: LIFECYCLE, dom: undefined }),
        this.call('CONNECT_NETWORK_EVENT_REGISTER_ANY', { eventID: LIFECYCLE, net: undefined }),
        // A daemon without a storage driver refuses this one; domain and network events still flow.
        this.call('CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY', { eventID: LIFECYCLE, pool: undefined }).catch(
          () => undefined,
        ),
        this.call('CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY', { eventID: METADATA_CHANGE, dom: undefined }).catch(
          () => undefined,
        ),
      ]);
      this.domainCallback = dom;
      this.networkCallback = net;
      this.poolCallback = pool;
      this.metadataCallback = metadata;
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const p of held) this.onMessage(p);
    }
  }

  private onMessage(p: Packet): void {
    const h = p.header;
    if (h.prog !== REMOTE_PROGRAM || h.type !== MessageType.MESSAGE) return;
    if (this.held) {
      this.held.push(p);
      return;
    }
    let event: DriverEvent | undefined;
    try {
      const r = new XdrReader(p.payload);
      if (h.proc === Messages.DOMAIN_EVENT_CALLBACK_LIFECYCLE.proc) {
        const m = Messages.DOMAIN_EVENT_CALLBACK_LIFECYCLE.args.read(r);
        if (m.callbackID === this.domainCallback)
          event = { kind: 'domain-lifecycle', domain: m.dom, event: m.event, detail: m.detail };
      } else if (h.proc === Messages.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE.proc) {
        const m = Messages.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE.args.read(r);
        if (m.callbackID === this.metadataCallback)
          event = { kind: 'domain-metadata-change', domain: m.dom, type: m.type, nsuri: m.nsuri };
      } else if (h.proc === Messages.NETWORK_EVENT_LIFECYCLE.proc) {
        const m = Messages.NETWORK_EVENT_LIFECYCLE.args.read(r);
        if (m.callbackID === this.networkCallback)
          event = { kind: 'network-lifecycle', network: m.net, event: m.event, detail: m.detail };
      } else if (h.proc === Messages.STORAGE_POOL_EVENT_LIFECYCLE.proc) {
        const m = Messages.STORAGE_POOL_EVENT_LIFECYCLE.args.read(r);
        if (m.callbackID === this.poolCallback)
          event = { kind: 'pool-lifecycle', pool: m.pool, event: m.event, detail: m.detail };
      }
    } catch {
      return; // an undecodable event is dropped, as libvirt's client does
    }
    if (!event) return;
    for (const l of this.listeners) l(event);
  }
}
