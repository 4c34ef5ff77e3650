/**
 * Run-time state moves to the run-state directory from where earlier versions kept it
 * (legacyStateDirs): each file is read, written anew (atomically, mode 0600) and only then is the
 * old one removed — a copy, never a rename, so a crash in between leaves one good copy and the
 * move works across file systems (/var to a tmpfs /run). Only networks this driver started move:
 * a NAME.json run state with its NAME.xml and NAME.macs; other files there (libvirtd's own
 * status XML in /run/libvirt/network) are left alone. A network already present in the new place
 * is newer and wins; its old copy is dropped.
 */
import { mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfExists, removeFile, writeFileAtomic } from './files.js';
import type { DriverPaths } from './paths.js';

async function migrateDir(from: string, to: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(from);
  } catch {
    return []; // nothing there: nothing to move
  }
  const moved: string[] = [];
  for (const json of names.filter((f) => f.endsWith('.json'))) {
    const base = json.slice(0, -'.json'.length);
    const newer = (await readIfExists(join(to, json))) !== undefined;
    for (const f of [json, `${base}.xml`, `${base}.macs`]) {
      const data = await readIfExists(join(from, f));
      if (data === undefined) continue;
      if (!newer) {
        await writeFileAtomic(join(to, f), data, 0o600);
        moved.push(f);
      }
      await removeFile(join(from, f));
    }
  }
  return moved;
}

export async function migrateLegacyState(paths: DriverPaths): Promise<string[]> {
  const moved: string[] = [];
  for (const dir of paths.legacyStateDirs) {
    if (dir !== paths.stateDir) moved.push(...(await migrateDir(dir, paths.stateDir)));
  }
  return moved;
}

/**
 * Persistent definitions from where earlier versions kept them (libvirt's directory), copied
 * once — when the new directory does not exist yet — with their autostart marks. Copied, not
 * moved: libvirtd may own that directory too.
 */
export async function importLegacyConfig(paths: DriverPaths): Promise<string[]> {
  if (paths.legacyConfigDirs.length === 0) return [];
  if ((await readdir(paths.configDir).catch(() => undefined)) !== undefined) return [];
  const imported: string[] = [];
  for (const dir of paths.legacyConfigDirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const f of names.filter((n) => n.endsWith('.xml'))) {
      const data = await readIfExists(join(dir, f));
      if (data === undefined || imported.includes(f)) continue;
      await writeFileAtomic(join(paths.configDir, f), data, 0o600);
      imported.push(f);
      if ((await readlink(join(dir, 'autostart', f)).catch(() => undefined)) !== undefined) {
        await mkdir(paths.autostartDir, { recursive: true });
        await symlink(join(paths.configDir, f), join(paths.autostartDir, f));
      }
    }
  }
  // The directory now exists (even empty), so the import is not repeated.
  await mkdir(paths.configDir, { recursive: true });
  return imported;
}
