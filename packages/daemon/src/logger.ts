import { appendFileSync } from 'node:fs';

/** libvirt's log priorities. */
export const LogLevel = { DEBUG: 1, INFO: 2, WARNING: 3, ERROR: 4 } as const;
const NAMES = ['', 'debug', 'info', 'warning', 'error'];

interface Output {
  level: number;
  write(line: string): void;
}

/**
 * A logger configured like libvirtd: `log_level` and `log_outputs` ("LEVEL:stderr",
 * "LEVEL:file:PATH"; journald and syslog fall back to stderr). Lines look like libvirt's.
 */
export class Logger {
  private readonly outputs: Output[];

  constructor(level: number, outputs?: string) {
    this.outputs = parseOutputs(outputs ?? `${level}:stderr`);
  }

  log(level: number, message: string): void {
    for (const o of this.outputs) {
      if (level < o.level) continue;
      const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '+0000');
      o.write(`${stamp}: ${process.pid}: ${NAMES[level]} : ${message}\n`);
    }
  }
  debug(m: string): void {
    this.log(LogLevel.DEBUG, m);
  }
  info(m: string): void {
    this.log(LogLevel.INFO, m);
  }
  warn(m: string): void {
    this.log(LogLevel.WARNING, m);
  }
  error(m: string): void {
    this.log(LogLevel.ERROR, m);
  }
}

function parseOutputs(spec: string): Output[] {
  const out: Output[] = [];
  for (const item of spec.split(/\s+/).filter(Boolean)) {
    const m = /^([1-4]):(stderr|file|journald|syslog)(?::(.+))?$/.exec(item);
    if (!m) throw new Error(`Failed to parse log output '${item}'`);
    const level = Number(m[1]);
    if (m[2] === 'file') {
      const path = m[3];
      if (!path) throw new Error(`Failed to parse log output '${item}': missing file name`);
      out.push({ level, write: (line) => appendFileSync(path, line) });
    } else {
      out.push({ level, write: (line) => process.stderr.write(line) });
    }
  }
  return out;
}
