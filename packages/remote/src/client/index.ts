export { CommandStream } from './command-stream.js';
export { driver } from './descriptor.js';
export {
  DEFAULT_KEEPALIVE,
  openRemote,
  RemoteConnection,
  type RemoteOpenOptions,
  serverUri,
} from './remote-connection.js';
export { type ProcedureCaller, RemoteProgram } from './remote-program.js';
export { RemoteStream, type StreamTransport } from './remote-stream.js';
export {
  type CallOptions,
  type CloseListener,
  CloseReason,
  type KeepaliveSettings,
  type MessageListener,
  RpcClient,
} from './rpc-client.js';
export {
  defaultUnixSocket,
  parseSocketMode,
  type SocketEnv,
  type SocketMode,
  userRuntimeDir,
  wantsUserDaemon,
} from './socket-paths.js';
export { type SshProxy, shellQuote, sshArgv, sshRemoteCommand } from './ssh.js';
export { DEFAULT_TLS_PORT, openTls, type TlsCredentialPaths, tlsCredentialPaths } from './tls.js';
export {
  type CertRole,
  certificateDn,
  checkPeerCertificate,
  dnPatternMatches,
  readPemCertificates,
  sanityCheckCredentials,
  validationReason,
} from './tls-certs.js';
export { DEFAULT_TCP_PORT, type Endpoint, type EndpointEnv, endpointFor, openSocket, openStream } from './transport.js';
