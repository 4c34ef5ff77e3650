import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { ErrorCode, ErrorDomain, strerror, VirError } from '@tsvirt/core';

/** How much of the command's stderr is kept for error messages. */
const STDERR_KEEP = 4096;

/**
 * A spawned command's stdin/stdout as one byte stream, the way libvirt runs `ssh` (and `+ext`
 * commands): the RPC protocol flows through the pipes. When the command exits, the stream closes
 * with an error carrying what the command printed on stderr; destroying the stream ends the command.
 */
export class CommandStream extends Duplex {
  private stderr = '';
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-STDERR_KEEP);
    });
    // Writing to a command that has gone surfaces as EPIPE here; its exit reports the reason.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      this.exited = true;
      if (this.destroyed) return;
      const said = this.stderr.trim();
      const how = signal ? `killed by ${signal}` : `exit status ${code}`;
      const err = new Error(said ? `${said} (${how})` : `command ended with ${how}`);
      // Deliver what the command wrote before it went (a last reply) before reporting its end.
      if (this.readableEnded) this.destroy(err);
      else this.once('end', () => this.destroy(err));
    });
  }

  /** Spawn `argv` (no shell) and resolve once it runs; a missing binary is a system error. */
  static open(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandStream> {
    return new Promise((resolve, reject) => {
      const [bin, ...args] = argv;
      if (!bin) throw new Error('empty command');
      const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new VirError({
            code: ErrorCode.SYSTEM_ERROR,
            domain: ErrorDomain.RPC,
            message: `Cannot run command '${bin}': ${strerror(err)}`,
            cause: err,
          }),
        ),
      );
      child.once('spawn', () => resolve(new CommandStream(child)));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.child.stdin.destroyed) {
      cb();
      return;
    }
    this.child.stdin.write(chunk, () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.destroy();
      this.child.kill('SIGTERM');
    }
    cb(err);
  }
}
