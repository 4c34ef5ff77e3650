/**
 * QMP frames every message as one JSON object followed by CRLF. This splits a byte stream into
 * those lines, with a cap so a peer that never sends a newline cannot grow memory without end.
 */
export class LineReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(private readonly maxLine: number) {}

  /** Feeds a chunk; returns the complete lines it finished (without the line ending). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      this.pendingLength = 0;
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingLength += chunk.length - start;
      if (this.pendingLength > this.maxLine) {
        throw new RangeError(`QMP message longer than ${this.maxLine} bytes`);
      }
    }
    return lines;
  }
}
