import {
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  KeepaliveProcedure,
  MessageStatus,
  MessageType,
} from './constants.js';
import { encodePacket, type PacketHeader } from './packet.js';

/** Is this packet a keepalive PING or PONG? */
export function isKeepalive(h: PacketHeader): boolean {
  return h.prog === KEEPALIVE_PROGRAM && h.type === MessageType.MESSAGE;
}

function keepaliveMessage(proc: number): Uint8Array {
  return encodePacket({
    prog: KEEPALIVE_PROGRAM,
    vers: KEEPALIVE_PROTOCOL_VERSION,
    proc,
    type: MessageType.MESSAGE,
    serial: 0,
    status: MessageStatus.OK,
  });
}

/** A keepalive PING (type MESSAGE, serial 0, empty payload). */
export function encodePing(): Uint8Array {
  return keepaliveMessage(KeepaliveProcedure.PING);
}
/** The PONG answering a PING. */
export function encodePong(): Uint8Array {
  return keepaliveMessage(KeepaliveProcedure.PONG);
}
