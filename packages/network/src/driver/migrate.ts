/**
 * Run-time state moves from the persistent directory earlier versions used (legacyStateDir) to
 * the run-state directory: each file is read, written anew (atomically, mode 0600) and only then
 * is the old one removed — a copy, never a rename, so a crash in between leaves one good copy and
 * the move works across file systems (/var to a tmpfs /run). A file already present in the new
 * place is newer and wins; the old one is dropped.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfExists, removeFile, writeFileAtomic } from './files.js';
import type { DriverPaths } from './paths.js';

const STATE_FILE = /^[^/]+\.(xml|json|macs)$/;

export async function migrateLegacyState(paths: DriverPaths): Promise<string[]> {
  if (paths.legacyStateDir === paths.stateDir) return [];
  let names: string[];
  try {
    names = (await readdir(paths.legacyStateDir)).filter((f) => STATE_FILE.test(f));
  } catch {
    return []; // nothing there: nothing to move
  }
  const moved: string[] = [];
  for (const f of names) {
    const target = join(paths.stateDir, f);
    const data = await readIfExists(join(paths.legacyStateDir, f));
    if (data === undefined) continue;
    if ((await readIfExists(target)) === undefined) {
      await writeFileAtomic(target, data, 0o600);
      moved.push(f);
    }
    await removeFile(join(paths.legacyStateDir, f));
  }
  return moved;
}
