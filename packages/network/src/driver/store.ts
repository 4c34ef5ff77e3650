/**
 * The driver's objects and their files: persistent definitions in configDir (autostart as a
 * link in autostartDir), and for each active network its live XML and run state in stateDir.
 */
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { formatNetworkXml, type NetworkDef, parseNetworkXml } from '@tsvirt/core';
import { readIfExists, removeFile, writeFileAtomic } from './files.js';
import { importLegacyConfig, migrateLegacyState } from './migrate.js';
import type { DriverPaths } from './paths.js';
import { givePortsUuids } from './port-objects.js';
import type { RunState } from './start.js';

/** libvirt's NAME.macs: the MAC addresses of the guests on the network, by owner. */
function macsFile(run: RunState | undefined): string {
  const byOwner = new Map<string, string[]>();
  for (const p of Object.values(run?.ports ?? {})) {
    const owner = p.owner ?? '';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), p.mac]);
  }
  return `${JSON.stringify(
    [...byOwner].map(([domain, macs]) => ({ domain, macs })),
    null,
    2,
  )}\n`;
}

export interface NetworkObject {
  /** The running definition when active, else the persistent one. */
  def: NetworkDef;
  /** The persistent definition waiting for the next start (defined while running). */
  newDef?: NetworkDef;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  run?: RunState;
}

function tryParse(xml: string | undefined): NetworkDef | undefined {
  if (xml === undefined) return undefined;
  try {
    return parseNetworkXml(xml);
  } catch {
    return undefined;
  }
}

async function listXml(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.xml'));
  } catch {
    return [];
  }
}

export class NetworkStore {
  readonly objects: NetworkObject[] = [];

  constructor(readonly paths: DriverPaths) {}

  /** Reads what is on disk; a file that does not parse is skipped (libvirt logs and skips it). */
  async load(): Promise<void> {
    const { configDir, autostartDir, stateDir } = this.paths;
    await migrateLegacyState(this.paths);
    await importLegacyConfig(this.paths);
    for (const f of await listXml(configDir)) {
      const def = tryParse(await readIfExists(join(configDir, f)));
      if (!def) continue;
      const autostart = (await readIfExists(join(autostartDir, f))) !== undefined;
      this.objects.push({ def, active: false, persistent: true, autostart });
    }
    for (const f of await listXml(stateDir)) {
      // Only networks this driver started have a run-state file beside their live XML.
      const runText = await readIfExists(join(stateDir, `${f.slice(0, -4)}.json`));
      const live = tryParse(await readIfExists(join(stateDir, f)));
      if (runText === undefined || !live) continue;
      const { run, changed } = givePortsUuids(JSON.parse(runText) as RunState);
      if (changed) await writeFileAtomic(join(stateDir, `${f.slice(0, -4)}.json`), `${JSON.stringify(run)}\n`);
      const obj = this.objects.find((o) => o.def.uuid === live.uuid);
      if (obj) {
        obj.newDef = obj.def;
        obj.def = live;
        obj.active = true;
        obj.run = run;
      } else {
        this.objects.push({ def: live, active: true, persistent: false, autostart: false, run });
      }
    }
  }

  async saveConfig(def: NetworkDef): Promise<void> {
    await writeFileAtomic(join(this.paths.configDir, `${def.name}.xml`), formatNetworkXml(def, { inactive: true }));
  }

  async deleteConfig(def: NetworkDef): Promise<void> {
    await removeFile(join(this.paths.configDir, `${def.name}.xml`));
    await removeFile(join(this.paths.autostartDir, `${def.name}.xml`));
  }

  async saveStatus(obj: NetworkObject): Promise<void> {
    const base = join(this.paths.stateDir, obj.def.name);
    await writeFileAtomic(`${base}.json`, `${JSON.stringify(obj.run ?? {})}\n`);
    await writeFileAtomic(`${base}.xml`, formatNetworkXml(obj.def));
    await writeFileAtomic(`${base}.macs`, macsFile(obj.run));
  }

  async deleteStatus(def: NetworkDef): Promise<void> {
    const base = join(this.paths.stateDir, def.name);
    await removeFile(`${base}.xml`);
    await removeFile(`${base}.json`);
    await removeFile(`${base}.macs`);
  }

  async setAutostart(def: NetworkDef, on: boolean): Promise<void> {
    const link = join(this.paths.autostartDir, `${def.name}.xml`);
    await removeFile(link);
    if (on) {
      await mkdir(this.paths.autostartDir, { recursive: true });
      await symlink(join(this.paths.configDir, `${def.name}.xml`), link);
    }
  }
}
