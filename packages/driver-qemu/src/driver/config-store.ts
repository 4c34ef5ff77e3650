/**
 * Persistent definitions on disk: configDir/NAME.xml, and autostartDir/NAME.xml as a link to
 * it for guests started when the driver starts (libvirt's layout).
 */
import { readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DomainDef } from '@tsvirt/core';
import { writeFileAtomic } from './atomic-file.js';
import type { QemuPaths } from './paths.js';
import { mkdirPrivate } from './private-dir.js';

export interface StoredConfig {
  readonly def: DomainDef;
  readonly autostart: boolean;
}

export class ConfigStore {
  constructor(
    private readonly paths: QemuPaths,
    private readonly format: (def: DomainDef) => string,
    private readonly parse: (xml: string) => DomainDef,
  ) {}

  private file(name: string): string {
    return join(this.paths.configDir, `${name}.xml`);
  }

  private link(name: string): string {
    return join(this.paths.autostartDir, `${name}.xml`);
  }

  async save(def: DomainDef): Promise<void> {
    await mkdirPrivate(this.paths.configDir);
    await writeFileAtomic(this.file(def.name), this.format(def));
  }

  async remove(name: string): Promise<void> {
    await rm(this.link(name), { force: true });
    await rm(this.file(name), { force: true });
  }

  async setAutostart(name: string, on: boolean): Promise<void> {
    if (!on) {
      await rm(this.link(name), { force: true });
      return;
    }
    await mkdirPrivate(this.paths.autostartDir);
    await rm(this.link(name), { force: true });
    await symlink(this.file(name), this.link(name));
  }

  /** Every stored definition; a file that no longer parses is skipped with a warning, as libvirt does. */
  async loadAll(warn: (message: string) => void): Promise<StoredConfig[]> {
    let names: string[];
    try {
      names = (await readdir(this.paths.configDir)).filter((f) => f.endsWith('.xml'));
    } catch {
      return [];
    }
    const out: StoredConfig[] = [];
    for (const fileName of names.sort()) {
      const name = fileName.slice(0, -4);
      try {
        const def = this.parse(await readFile(this.file(name), 'utf8'));
        const autostart = await stat(this.link(name)).then(
          () => true,
          () => false,
        );
        out.push({ def, autostart });
      } catch (err) {
        warn(`Failed to load config for domain '${name}': ${(err as Error).message}`);
      }
    }
    return out;
  }
}
