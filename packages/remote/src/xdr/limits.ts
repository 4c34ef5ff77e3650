/**
 * libvirt's wire limits (src/rpc/virnetprotocol.x and src/remote/remote_protocol.x of libvirt 9.x).
 * Decoders check them before allocating, so a hostile peer cannot make us buffer more than this.
 */

/** Largest serialised message (header + payload), not counting the 4-byte length word. */
export const MESSAGE_MAX = 32 * 1024 * 1024;
/** Size of the serialised header: prog, vers, proc, type, serial, status. */
export const MESSAGE_HEADER_SIZE = 24;
/** Size of the length word that starts every packet (it counts itself). */
export const MESSAGE_LEN_SIZE = 4;
/** Largest payload after the header. */
export const MESSAGE_PAYLOAD_MAX = MESSAGE_MAX - MESSAGE_HEADER_SIZE;
/** Longest string (VIR_NET_MESSAGE_STRING_MAX, REMOTE_STRING_MAX). */
export const STRING_MAX = 4 * 1024 * 1024;
/** VIR_UUID_BUFLEN. */
export const UUID_LEN = 16;

/** List limits of the remote program that this package uses. */
export const REMOTE_DOMAIN_LIST_MAX = 16384;
export const REMOTE_AUTH_TYPE_LIST_MAX = 20;
