/**
 * The status file of a running guest (stateDir/NAME.xml): its live definition plus what the
 * driver needs to find the process again after a restart (pid, monitor socket, private dir).
 * Written atomically at every state change; its presence means "this guest was running".
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  childElements,
  type DomainDef,
  type DomainState,
  firstChild,
  parseXml,
  serializeElement,
  XmlWriter,
  xmlAttr,
} from '@tsvirt/core';
import { writeFileAtomic } from './atomic-file.js';
import type { QemuPaths } from './paths.js';

export interface DomainStatus {
  readonly state: DomainState;
  readonly reason: number;
  readonly pid: number;
  readonly monitorPath: string;
  readonly libDir: string;
  readonly def: DomainDef;
}

const STATE_NAMES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

export class StatusFiles {
  constructor(
    private readonly paths: QemuPaths,
    private readonly format: (def: DomainDef) => string,
    private readonly parse: (xml: string) => DomainDef,
  ) {}

  private file(name: string): string {
    return join(this.paths.stateDir, `${name}.xml`);
  }

  async write(status: DomainStatus): Promise<void> {
    const w = new XmlWriter();
    w.open(
      'domstatus',
      `${xmlAttr('state', STATE_NAMES[status.state])}${xmlAttr('reason', status.reason)}${xmlAttr('pid', status.pid)}`,
    );
    w.empty('monitor', `${xmlAttr('path', status.monitorPath)}${xmlAttr('type', 'unix')}`);
    w.empty('libDir', xmlAttr('path', status.libDir));
    const domainXml = this.format(status.def).trimEnd().split('\n');
    for (const line of domainXml) w.line(line);
    w.close('domstatus');
    await writeFileAtomic(this.file(status.def.name), w.out);
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
  }

  /** Every status file left by running guests; unreadable ones are reported and removed. */
  async loadAll(warn: (message: string) => void): Promise<DomainStatus[]> {
    let names: string[];
    try {
      names = (await readdir(this.paths.stateDir)).filter((f) => f.endsWith('.xml'));
    } catch {
      return [];
    }
    const out: DomainStatus[] = [];
    for (const fileName of names.sort()) {
      const path = join(this.paths.stateDir, fileName);
      try {
        out.push(this.parseStatus(await readFile(path, 'utf8')));
      } catch (err) {
        warn(`Failed to read status file '${path}': ${(err as Error).message}`);
      }
    }
    return out;
  }

  private parseStatus(text: string): DomainStatus {
    const root = parseXml(text, { documentName: 'domstatus' });
    const state = STATE_NAMES.indexOf(root.attrs.state ?? '');
    const pid = Number(root.attrs.pid);
    const monitorPath = firstChild(root, 'monitor')?.attrs.path;
    const libDir = firstChild(root, 'libDir')?.attrs.path;
    const domain = childElements(root, 'domain')[0];
    if (state < 0 || !Number.isSafeInteger(pid) || pid <= 0 || !monitorPath || !libDir || !domain) {
      throw new Error('incomplete status file');
    }
    return {
      state: state as DomainState,
      reason: Number(root.attrs.reason ?? 0),
      pid,
      monitorPath,
      libDir,
      def: this.parse(serializeElement(domain)),
    };
  }
}
