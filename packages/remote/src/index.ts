export * from './client/index.js';
export { driver as default } from './client/index.js';
export * from './protocol/index.js';
export * from './rpc/index.js';
export * from './server/index.js';
export * from './xdr/index.js';
