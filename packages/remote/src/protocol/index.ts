export * from './codec.js';
export * from './objects.js';
export * from './procedure-apis.js';
export * from './procedures.js';
export * from './stream-procedures.js';
export * from './typed-params.js';
