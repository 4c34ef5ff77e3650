export { registerDriver, unregisterDriver, registeredDrivers, negotiateOpen, type NegotiateOptions } from './registry.js';
export { packageForScheme } from './known-packages.js';
