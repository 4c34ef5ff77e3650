export * from './client/index.js';
export { driver as default } from './client/index.js';
export * from './rpc/index.js';
export * from './xdr/index.js';
