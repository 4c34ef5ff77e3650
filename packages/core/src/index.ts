export * from './api/index.js';
export * from './contract/index.js';
export * from './errors/index.js';
export * from './registry/index.js';
export * from './uri/index.js';
export * from './xml/index.js';
