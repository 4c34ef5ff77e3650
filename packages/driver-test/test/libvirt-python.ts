/**
 * What the step-by-step comparisons with libvirt-python share: running a python program on
 * libvirt's own test driver, and both sides' way of writing down a failed call.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Connection, connect, VirError } from '@tsvirt/core';
import { driver } from '../src/index.js';

export const PYTHON = '/usr/bin/python3';

export const hasLibvirtPython =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;

/** A failed call as both sides record it: libvirt's error code, error domain and message. */
export interface Failure {
  code: number;
  domain: number;
  message: string;
}

/**
 * Put before every program: libvirt's default error printing silenced, and `failure(e)` giving a
 * libvirtError as the same JSON object as {@link failure}.
 */
const PRELUDE = `import json, re, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
def failure(e):
    return {'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()}
`;

/**
 * Runs a python program (after the prelude) with `input` as JSON on its stdin and `args` as its
 * arguments; returns what it printed, parsed as JSON.
 */
export function runPython<T>(program: string, input: unknown, args: readonly string[] = []): T {
  const r = spawnSync(PYTHON, ['-c', PRELUDE + program, ...args], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`libvirt-python failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as T;
}

/** A VirError as a {@link Failure}; anything else is rethrown. */
export function failure(e: unknown): Failure {
  if (!(e instanceof VirError)) throw e;
  return { code: e.code, domain: e.domain, message: e.message };
}

/** The call's result, or its failure. */
export async function outcome<T>(call: () => Promise<T>): Promise<T | Failure> {
  try {
    return await call();
  } catch (e) {
    return failure(e);
  }
}

/**
 * One step on fresh test:///default state, as the python programs do theirs: a new read-write
 * connection (the state starts afresh once the last one closed), a read-only one for the call
 * when `readOnly`, the domain `test` destroyed first when `destroyFirst`. Both are closed after.
 */
export async function onFreshDefault<T>(
  opts: { readOnly?: boolean; destroyFirst?: boolean },
  call: (c: Connection, rw: Connection) => Promise<T>,
): Promise<T | Failure> {
  const rw = await connect('test:///default', { drivers: [driver] });
  const c = opts.readOnly ? await connect('test:///default', { drivers: [driver], readOnly: true }) : rw;
  try {
    if (opts.destroyFirst) await (await rw.lookupDomainByName('test')).destroy();
    return await outcome(() => call(c, rw));
  } finally {
    if (c !== rw) await c.close();
    await rw.close();
  }
}
