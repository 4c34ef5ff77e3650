export { packageForScheme } from './known-packages.js';
export {
  type NegotiateOptions,
  negotiateOpen,
  registerDriver,
  registeredDrivers,
  unregisterDriver,
} from './registry.js';
