/**
 * <driver><iothreads>: which IOThreads serve a virtio disk's or SCSI controller's queues, each
 * optionally limited to the queues it lists.
 */

import { a, type XmlWriter } from '../../writer.js';
import { xmlError } from '../util/errors.js';
import { children, firstChild, uintAttr, type XmlElement } from '../util/parse.js';

export interface IothreadMapping {
  id: number;
  /** Queue ids; empty lets QEMU spread the queues over the listed threads. */
  queues: number[];
}

export function parseIothreadMapping(driver: XmlElement | undefined): IothreadMapping[] | undefined {
  const el = driver && firstChild(driver, 'iothreads');
  if (!el) return undefined;
  const out = children(el, 'iothread').map((t) => {
    const id = uintAttr(t, 'id');
    if (id === undefined) throw xmlError("Missing required attribute 'id' in element 'iothread'");
    const queues = children(t, 'queue').map((q) => {
      const qid = uintAttr(q, 'id');
      if (qid === undefined) throw xmlError("Missing required attribute 'id' in element 'queue'");
      return qid;
    });
    return { id, queues };
  });
  return out.length ? out : undefined;
}

export function formatIothreadMapping(w: XmlWriter, mapping: readonly IothreadMapping[]): void {
  w.open('iothreads');
  for (const t of mapping) {
    if (t.queues.length === 0) {
      w.empty('iothread', a('id', t.id));
      continue;
    }
    w.open('iothread', a('id', t.id));
    for (const q of t.queues) w.empty('queue', a('id', q));
    w.close('iothread');
  }
  w.close('iothreads');
}
