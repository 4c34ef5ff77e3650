export { xdrError } from './errors.js';
export * from './limits.js';
export { XdrReader, xdrPad } from './reader.js';
export { XdrWriter } from './writer.js';
