/** Test helpers for the network/storage/capabilities/snapshot XML tests. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the checkout (CI puts libvirt's golden data and schemas there). */
export const SHARED = fileURLToPath(new URL('../../../../../../shared', import.meta.url));
export const SCHEMAS = join(SHARED, 'schemas');
export const DATA = join(SHARED, 'conformance', 'libvirt');
export const HAVE_SCHEMAS = existsSync(SCHEMAS);
export const HAVE_DATA = existsSync(DATA);
export const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
export const HAVE_VIRSH = spawnSync('virsh', ['--version']).status === 0;

if (!HAVE_SCHEMAS || !HAVE_DATA) {
  console.warn(`skipping golden-data and schema tests: ${SHARED} is absent`);
}

export function fixture(dir: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`../${dir}/fixtures/${name}`, import.meta.url)), 'utf8');
}

/** The documents of one golden-data folder (all of them, or the named ones without `.xml`). */
export function goldenDocs(dir: string, names?: readonly string[]): string[] {
  const files = names ? names.map((n) => `${n}.xml`) : readdirSync(join(DATA, dir));
  return files.map((f) => readFileSync(join(DATA, dir, f), 'utf8'));
}

/** Validate documents against a libvirt RelaxNG schema; returns xmllint's complaints ('' when valid). */
export function relaxngErrors(schema: string, docs: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-rng-'));
  try {
    const files = docs.map((d, i) => {
      const f = join(dir, `doc${i}.xml`);
      writeFileSync(f, d);
      return f;
    });
    const r = spawnSync('xmllint', ['--noout', '--relaxng', join(SCHEMAS, schema), ...files], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What virsh prints for a command on test:///default, without the newline virsh adds. */
export function virshTest(...args: string[]): string {
  return execFileSync('virsh', ['-c', 'test:///default', ...args], { encoding: 'utf8' }).slice(0, -1);
}
