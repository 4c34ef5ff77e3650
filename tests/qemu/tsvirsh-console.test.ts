/**
 * The issue's own sequence from the shell: `tsvirsh -c qemu:///embed?root=DIR` defines and starts
 * the real guest, `console` (under a pty made by util-linux `script`, as virsh needs a TTY)
 * reaches its shell, and `shutdown` powers it off through the ACPI button.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { guestXml, type TestGuest, testGuest } from './guest.js';

const guest = testGuest();
const tsvirsh = fileURLToPath(new URL('../../bin/tsvirsh-dev', import.meta.url));
const skip =
  typeof guest === 'string' ? guest : !existsSync('/usr/bin/script') ? 'util-linux script is not installed' : undefined;

describe.skipIf(skip !== undefined)('tsvirsh define, start, console, shutdown on a real guest', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-qemu-cli-'));
  const uri = `qemu:///embed?root=${root}`;
  const virsh = (cmd: string) => spawnSync(tsvirsh, ['-c', uri, cmd], { encoding: 'utf8', timeout: 60_000 });
  afterAll(() => {
    virsh('destroy cli');
    rmSync(root, { recursive: true, force: true });
  });

  it('boots, answers on the console and powers off', async () => {
    const file = join(root, 'guest.xml');
    writeFileSync(file, guestXml(guest as TestGuest, 'cli'));
    const started = virsh(`define ${file}; start cli`);
    expect(started.stderr).toBe('');
    expect(started.stdout).toContain("Domain 'cli' started");

    // script(1) gives tsvirsh a pty; what we write to script's stdin is typed at that pty.
    const child = spawn('script', ['-qec', `${tsvirsh} -c '${uri}' console cli`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const seen = async (text: string, from: number, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        if (out.indexOf(text, from) >= 0) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    expect(await seen('Escape character is ^] (Ctrl + ])', 0, 30_000)).toBe(true);
    // The guest may still be booting: ask for a prompt until its shell answers.
    let prompt = false;
    for (let i = 0; i < 60 && !prompt; i++) {
      const from = out.length;
      child.stdin.write('\n');
      prompt = await seen('# ', from, 2000);
    }
    expect(prompt).toBe(true);
    const from = out.length;
    child.stdin.write('echo hi-$((2+3))\n');
    expect(await seen('hi-5', from, 30_000)).toBe(true);
    child.stdin.write('\x1d');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);

    const down = virsh('shutdown cli');
    expect(down.stdout).toContain("Domain 'cli' is being shutdown");
    let state = '';
    for (let i = 0; i < 120 && !state.startsWith('shut off'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      state = virsh('domstate cli --reason').stdout.trim();
    }
    expect(state).toBe('shut off (shutdown)');
  }, 240_000);
});
