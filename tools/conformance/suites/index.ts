import type { ConformanceSuite } from '../suite.js';

/** Every suite the runner knows, in the order they are reported. */
export const suites: ConformanceSuite[] = [];
