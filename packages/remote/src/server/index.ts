export { BusyPoll } from './busy-poll.js';
export { asVirError, decodeError, notOpenError, rpcError } from './errors.js';
export { type EventRegistry, handlers, type SessionApi } from './handlers.js';
export { type ServeSocketOptions, serveSocket } from './serve-socket.js';
export { type OpenConnection, ServerSession, type SessionOptions } from './session.js';
export { type LocalStream, ServerStreams } from './streams.js';
