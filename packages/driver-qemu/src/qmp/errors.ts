/**
 * The errors a QMP monitor reports, worded as libvirt words them so callers (and users) see the
 * same text whether a command failed in tsvirt or in libvirtd.
 */
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

/** QEMU answered a command with {"error": {"class", "desc"}}. */
export class QmpError extends VirError {
  /** QMP's error class, e.g. 'GenericError', 'CommandNotFound', 'DeviceNotFound'. */
  readonly qmpClass: string;
  /** QMP's human-readable description. */
  readonly qmpDesc: string;
  readonly command: string;

  constructor(command: string, qmpClass: string, qmpDesc: string) {
    super({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.QEMU,
      detail: `unable to execute QEMU command '${command}': ${qmpDesc}`,
      str1: qmpClass,
    });
    this.name = 'QmpError';
    this.command = command;
    this.qmpClass = qmpClass;
    this.qmpDesc = qmpDesc;
  }
}

export function isQmpError(err: unknown, qmpClass?: string): err is QmpError {
  return err instanceof QmpError && (qmpClass === undefined || err.qmpClass === qmpClass);
}

/** The monitor's socket ended (QEMU exited, or close() was called) while commands were pending. */
export function monitorClosedError(reason?: string): VirError {
  return new VirError({
    code: ErrorCode.OPERATION_FAILED,
    domain: ErrorDomain.QEMU,
    detail: reason ? `QEMU monitor closed: ${reason}` : 'End of file from qemu monitor',
  });
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
};

/** A read or write on the monitor's socket failed. */
export function monitorIoError(err: NodeJS.ErrnoException): VirError {
  return new VirError({
    code: ErrorCode.OPERATION_FAILED,
    domain: ErrorDomain.QEMU,
    detail: `Unable to read from monitor: ${SOCKET_ERRORS[err.code ?? ''] ?? err.message}`,
    cause: err,
  });
}

/** QEMU sent something that is not a JSON object on a line of its own. */
export function protocolError(detail: string): VirError {
  return new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.QEMU, detail });
}

export function timeoutError(command: string, ms: number): VirError {
  return new VirError({
    code: ErrorCode.OPERATION_TIMEOUT,
    domain: ErrorDomain.QEMU,
    detail: `QEMU command '${command}' got no reply within ${ms} ms`,
  });
}
