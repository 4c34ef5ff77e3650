/**
 * The capabilities cache: one <qemuCaps> document per binary in a directory the caller owns
 * (libvirt keeps them in <cacheDir>/capabilities/<sha256 of the path>.xml). A document is reused
 * while the binary's path and ctime and this package's own version and ctime are unchanged;
 * otherwise the binary is probed again and the document rewritten.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorDomain, systemError } from '@tsvirt/core';
import { formatQemuCapsCache, parseQemuCapsCache } from './cache-xml.js';
import { type ProbeBinaryOptions, probeQemuBinary } from './probe-process.js';
import type { QemuCaps } from './qemu-caps.js';

/** Probes one binary; the cache passes the ctime and self facts it keys documents on. */
export type QemuCapsProber = (binary: string, options: ProbeBinaryOptions) => Promise<QemuCaps>;

export interface QemuCapsCacheOptions {
  /** Directory holding the documents (created when missing). */
  readonly cacheDir: string;
  /** Defaults to starting the binary and probing it over QMP. */
  readonly probe?: QemuCapsProber;
  /** Passed to the prober (work dir for sockets, accelerators, timeouts). */
  readonly probeOptions?: Omit<ProbeBinaryOptions, 'qemuCtime' | 'selfCtime' | 'selfVers'>;
}

export interface SelfIdentity {
  /** This package's version as major*1,000,000 + minor*1,000 + micro. */
  readonly selfVers: number;
  /** ctime (seconds) of this package's code: a rebuilt or reinstalled driver re-probes. */
  readonly selfCtime: number;
}

const ctimeSeconds = (ctimeMs: number): number => Math.floor(ctimeMs / 1000);

/** Finds this package's package.json (one level up from dist/, two from src/capabilities/). */
async function readSelfIdentity(): Promise<SelfIdentity> {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name !== '@tsvirt/driver-qemu') continue;
      const [major = 0, minor = 0, micro = 0] = (pkg.version ?? '0.0.0').split(/[.-]/).map((n) => Number(n) || 0);
      return {
        selfVers: major * 1_000_000 + minor * 1000 + micro,
        selfCtime: ctimeSeconds((await stat(here)).ctimeMs),
      };
    } catch {
      // not this directory
    }
  }
  return { selfVers: 0, selfCtime: ctimeSeconds((await stat(here)).ctimeMs) };
}

let selfIdentity: Promise<SelfIdentity> | undefined;

export function getSelfIdentity(): Promise<SelfIdentity> {
  selfIdentity ??= readSelfIdentity();
  return selfIdentity;
}

export class QemuCapsCache {
  private readonly inFlight = new Map<string, Promise<QemuCaps>>();
  private readonly probe: QemuCapsProber;

  constructor(private readonly options: QemuCapsCacheOptions) {
    this.probe = options.probe ?? probeQemuBinary;
  }

  /** Where the document for `binary` is kept. */
  fileFor(binary: string): string {
    return join(this.options.cacheDir, `${createHash('sha256').update(binary).digest('hex')}.xml`);
  }

  /** The capabilities of `binary`: from the cache when still valid, else freshly probed. */
  lookup(binary: string): Promise<QemuCaps> {
    let pending = this.inFlight.get(binary);
    if (!pending) {
      pending = this.load(binary).finally(() => this.inFlight.delete(binary));
      this.inFlight.set(binary, pending);
    }
    return pending;
  }

  private async load(binary: string): Promise<QemuCaps> {
    const qemuCtime = await binaryCtime(binary);
    const self = await getSelfIdentity();
    const file = this.fileFor(binary);
    const cached = await readCached(file);
    if (
      cached &&
      cached.emulator === binary &&
      cached.qemuCtime === qemuCtime &&
      cached.selfVers === self.selfVers &&
      cached.selfCtime === self.selfCtime
    ) {
      return cached;
    }
    const caps = await this.probe(binary, { ...this.options.probeOptions, qemuCtime, ...self });
    await mkdir(this.options.cacheDir, { recursive: true });
    await writeAtomically(file, formatQemuCapsCache(caps));
    return caps;
  }
}

async function binaryCtime(binary: string): Promise<number> {
  let ctimeMs: number;
  try {
    ctimeMs = (await stat(binary)).ctimeMs;
  } catch (err) {
    throw systemError(ErrorDomain.QEMU, `Cannot check QEMU binary ${binary}`, err as NodeJS.ErrnoException);
  }
  try {
    await access(binary, constants.X_OK);
  } catch (err) {
    throw systemError(ErrorDomain.QEMU, `QEMU binary ${binary} is not executable`, err as NodeJS.ErrnoException);
  }
  return ctimeSeconds(ctimeMs);
}

/** A document that cannot be read or parsed is treated as absent: the binary is probed again. */
async function readCached(file: string): Promise<QemuCaps | undefined> {
  try {
    return parseQemuCapsCache(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Write to a temp file, fsync, rename: a reader sees the old document or the new one, never half. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
