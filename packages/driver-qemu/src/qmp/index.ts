export { isQmpError, QmpError } from './errors.js';
export {
  type ExecuteOptions,
  type QmpCloseListener,
  type QmpEventListener,
  QmpMonitor,
  type QmpMonitorOptions,
} from './monitor.js';
export { parseReplies, QmpReplay, type ReplayDeviation, type ReplayEntry } from './replay.js';
export type * from './types.js';
