/**
 * The driver conformance suite: one set of vitest tests every driver package runs against
 * itself (and third-party drivers against theirs). Each group is skipped when the driver does
 * not declare the capability; a declared capability must pass.
 */

export { expectVirError } from './expect-error.js';
export { type ConformanceOptions, runDriverConformance } from './suite.js';
