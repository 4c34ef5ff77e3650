export * from './constants.js';
export {
  type RemoteError,
  readRemoteError,
  remoteErrorToVirError,
  virErrorToRemoteError,
  writeRemoteError,
} from './error.js';
export { encodePing, encodePong, isKeepalive } from './keepalive.js';
export {
  checkPacketLength,
  decodeHeader,
  decodePacket,
  decodeRawPacket,
  encodePacket,
  FrameSplitter,
  finishPacket,
  type Packet,
  PacketFramer,
  type PacketHeader,
  packetWriter,
  type RawHeader,
} from './packet.js';
export {
  type RemoteDomain,
  type RemoteNetwork,
  readRemoteDomain,
  readRemoteNetwork,
  uuidFromBytes,
  uuidToBytes,
  writeRemoteDomain,
} from './remote-types.js';
export {
  decodeStreamHole,
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamEof,
  encodeStreamError,
  encodeStreamHole,
  STREAM_CHUNK_MAX,
  type StreamId,
} from './stream.js';
