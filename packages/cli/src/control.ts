import type { Connection } from '@tsvirt/core';
import { errorText } from './errors.js';
import { jsonError, jsonLine } from './output/json.js';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ControlOptions {
  readonly quiet: boolean;
  readonly json: boolean;
  readonly timing: boolean;
  readonly readOnly: boolean;
  readonly uri: string | undefined;
  readonly searchPaths: readonly string[];
  readonly progname: string;
  /** Console escape sequence (-e), '^]' by default. */
  readonly escape?: string;
}

/**
 * The shell's state (virsh's vshControl): the connection, output switches and the library
 * error pending report. Commands print through it so -q and --json apply everywhere.
 */
export class Control {
  conn: Connection | undefined;
  uri: string | undefined;
  readOnly: boolean;
  readonly quiet: boolean;
  readonly json: boolean;
  readonly timing: boolean;
  readonly searchPaths: readonly string[];
  readonly progname: string;
  readonly escape: string;
  /** Set while an interactive shell runs. */
  interactive = false;
  /** `quit`/`exit` asks the runner to stop. */
  quitRequested = false;

  /** The library error to report when the current command fails (virsh's last_error). */
  private lastError: unknown;
  /** What the current command printed, in --json mode (text output is replaced by JSON). */
  private captured = '';
  private errors: string[] = [];
  private doc: unknown;
  private hasDoc = false;

  constructor(
    readonly out: Output,
    options: ControlOptions,
  ) {
    this.quiet = options.quiet;
    this.json = options.json;
    this.timing = options.timing;
    this.readOnly = options.readOnly;
    this.uri = options.uri;
    this.searchPaths = options.searchPaths;
    this.progname = options.progname;
    this.escape = options.escape ?? '^]';
  }

  /** vshPrint: always printed. */
  print(text: string): void {
    if (this.json) this.captured += text;
    else this.out.stdout(text);
  }
  /** vshPrintExtra: suppressed by -q. */
  printExtra(text: string): void {
    if (this.quiet) return;
    this.print(text);
  }
  /** vshError: `error: MESSAGE` on stderr. */
  error(message: string): void {
    this.errors.push(message);
    this.out.stderr(`error: ${message}\n`);
  }
  /** The structured result of the current command, printed instead of its text in --json mode. */
  data(doc: unknown): void {
    this.doc = doc;
    this.hasDoc = true;
  }

  saveError(err: unknown): void {
    this.lastError = err;
  }
  resetError(): void {
    this.lastError = undefined;
  }
  get pendingError(): unknown {
    return this.lastError;
  }
  /** vshReportError: print the pending library error, if any. */
  reportError(): void {
    if (this.lastError === undefined) return;
    const err = this.lastError;
    this.lastError = undefined;
    this.error(errorText(err));
  }

  /** Start of a command: forget what the previous one left. */
  beginCommand(): void {
    this.lastError = undefined;
    this.captured = '';
    this.errors = [];
    this.doc = undefined;
    this.hasDoc = false;
  }

  /** End of a command in --json mode: print its one document. */
  endCommandJson(ok: boolean, cause: unknown): void {
    if (!this.json) return;
    if (!ok) {
      this.out.stdout(jsonLine(jsonError(this.errors, cause)));
      return;
    }
    if (this.hasDoc) {
      this.out.stdout(jsonLine(this.doc));
      return;
    }
    const text = this.captured.replace(/\n+$/, '');
    this.out.stdout(jsonLine(text === '' ? { ok: true } : { ok: true, message: text }));
  }
}
