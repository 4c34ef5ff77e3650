/** Facts of libvirt's RPC protocol (src/rpc/virnetprotocol.x, virkeepaliveprotocol.x, src/remote/remote_protocol.x). */

/** virNetMessageType. */
export const MessageType = {
  CALL: 0,
  REPLY: 1,
  MESSAGE: 2,
  STREAM: 3,
  CALL_WITH_FDS: 4,
  REPLY_WITH_FDS: 5,
  /** A hole in a sparse stream: virNetStreamHole { hyper length; unsigned int flags; }. */
  STREAM_HOLE: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export const MESSAGE_TYPES: readonly MessageType[] = Object.values(MessageType);

/** virNetMessageStatus. */
export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];
export const MESSAGE_STATUSES: readonly MessageStatus[] = Object.values(MessageStatus);

/** The keepalive program. */
export const KEEPALIVE_PROGRAM = 0x6b656570;
export const KEEPALIVE_PROTOCOL_VERSION = 1;
export const KeepaliveProcedure = { PING: 1, PONG: 2 } as const;

/** The remote program (the hypervisor API). */
export const REMOTE_PROGRAM = 0x20008086;
export const REMOTE_PROTOCOL_VERSION = 1;

/** remote_auth_type. */
export const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;
export type AuthType = (typeof AuthType)[keyof typeof AuthType];

/** virConnectFlags bits sent with REMOTE_PROC_CONNECT_OPEN. */
export const ConnectOpenFlags = { RO: 1 << 0, NO_ALIASES: 1 << 1 } as const;

/** remote_procedure numbers for the procedures this package calls. */
export const RemoteProcedure = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_TYPE: 3,
  CONNECT_GET_VERSION: 4,
  CONNECT_GET_CAPABILITIES: 7,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_GET_INFO: 16,
  DOMAIN_LOOKUP_BY_ID: 22,
  DOMAIN_LOOKUP_BY_NAME: 23,
  DOMAIN_LOOKUP_BY_UUID: 24,
  DOMAIN_RESUME: 28,
  DOMAIN_SUSPEND: 34,
  CONNECT_GET_HOSTNAME: 59,
  AUTH_LIST: 66,
  DOMAIN_IS_ACTIVE: 150,
  DOMAIN_IS_PERSISTENT: 151,
  DOMAIN_CREATE_WITH_FLAGS: 196,
  DOMAIN_GET_STATE: 212,
  DOMAIN_UNDEFINE_FLAGS: 231,
  DOMAIN_DESTROY_FLAGS: 234,
  CONNECT_LIST_ALL_DOMAINS: 273,
  DOMAIN_DEFINE_XML_FLAGS: 350,
} as const;
export type RemoteProcedure = (typeof RemoteProcedure)[keyof typeof RemoteProcedure];
