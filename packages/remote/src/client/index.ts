export { driver } from './descriptor.js';
export { openRemote, RemoteConnection, type RemoteOpenOptions, serverUri } from './remote-connection.js';
export { type ProcedureCaller, RemoteProgram } from './remote-program.js';
export { type CallOptions, type MessageListener, RpcClient } from './rpc-client.js';
export { DEFAULT_TCP_PORT, defaultUnixSocket, type Endpoint, endpointFor, openSocket } from './transport.js';
