/**
 * Snapshot metadata of the QEMU driver, where libvirt keeps it: <libDir>/snapshot/DOMAIN/NAME.xml,
 * the snapshot's XML with <active>1</active> on the current one.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type DomainSnapshotDef, formatDomainSnapshotXml, parseDomainSnapshotXml } from '@tsvirt/core';
import { writeFileAtomic } from './atomic-file.js';
import type { QemuPaths } from './paths.js';
import { mkdirPrivate } from './private-dir.js';

export class SnapshotStore {
  constructor(private readonly paths: QemuPaths) {}

  private dir(domain: string): string {
    return join(this.paths.libDir, 'snapshot', domain);
  }

  /** Every snapshot of a domain, oldest first. */
  async list(domain: string): Promise<DomainSnapshotDef[]> {
    const dir = this.dir(domain);
    const names = await readdir(dir).catch(() => [] as string[]);
    const defs: DomainSnapshotDef[] = [];
    for (const file of names.filter((n) => n.endsWith('.xml'))) {
      defs.push(parseDomainSnapshotXml(await readFile(join(dir, file), 'utf8'), { redefine: true }));
    }
    return defs.sort(
      (a, b) => (a.creationTime ?? 0) - (b.creationTime ?? 0) || (a.name ?? '').localeCompare(b.name ?? ''),
    );
  }

  async save(domain: string, def: DomainSnapshotDef): Promise<void> {
    await mkdirPrivate(this.dir(domain));
    await writeFileAtomic(join(this.dir(domain), `${def.name}.xml`), formatDomainSnapshotXml(def, { internal: true }));
  }

  async remove(domain: string, name: string): Promise<void> {
    await rm(join(this.dir(domain), `${name}.xml`), { force: true });
  }

  async removeAll(domain: string): Promise<void> {
    await rm(this.dir(domain), { recursive: true, force: true });
  }
}
