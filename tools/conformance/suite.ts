/** The shape every conformance suite module exports as `suite`. */
export interface ConformanceCase {
  readonly name: string;
  /** Set when the data set holds only part of the case (say, an expected output without its input). */
  readonly incomplete?: string;
  /** Resolves when the case passes; throws an Error whose message says why it failed. */
  run(): Promise<void> | void;
}

export interface ConformanceSuite {
  readonly name: string;
  /** Folders (relative to the data root) this suite reads; the suite is skipped when one is missing. */
  readonly folders: readonly string[];
  /** One line printed under the suite's count (e.g. what input a suite uses for now). */
  readonly note?: string;
  cases(dataRoot: string): Promise<ConformanceCase[]> | ConformanceCase[];
}

export interface SuiteResult {
  readonly name: string;
  readonly passed: number;
  readonly failed: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  /** Cases the data set holds only part of: listed, neither passed nor failed. */
  readonly incomplete?: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  readonly skipped?: string;
}
