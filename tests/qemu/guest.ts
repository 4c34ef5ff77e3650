/**
 * The real guest the QEMU tests boot (tools/test-guest/build.ts: Debian kernel + busybox
 * initramfs), and the domain XML that runs it under TCG with its serial port on a pty.
 */
import { existsSync } from 'node:fs';
import { buildTestGuest, DEFAULT_GUEST_DIR, GUEST_READY_LINE } from '../../tools/test-guest/build.js';

export { GUEST_READY_LINE };
export const QEMU_BINARY = '/usr/bin/qemu-system-x86_64';

/** The block statistics QEMU reports for the test guest's virtio disk, in libvirt's order. */
export const GUEST_BLOCK_STAT_FIELDS = [
  'rd_operations',
  'rd_bytes',
  'wr_operations',
  'wr_bytes',
  'flush_operations',
  'rd_total_times',
  'wr_total_times',
  'flush_total_times',
];

export interface TestGuest {
  readonly kernel: string;
  readonly initrd: string;
}

/** The guest's files, building them when apt-get is at hand; a reason string when they cannot be had. */
export function testGuest(): TestGuest | string {
  if (!existsSync(QEMU_BINARY)) return `${QEMU_BINARY} is not installed (apt-get install qemu-system-x86)`;
  try {
    return buildTestGuest(DEFAULT_GUEST_DIR);
  } catch (err) {
    return `cannot build the test guest: ${(err as Error).message}`;
  }
}

export function guestXml(guest: TestGuest, name: string, extra = ''): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${guest.kernel}</kernel>
    <initrd>${guest.initrd}</initrd>
    <cmdline>console=ttyS0 panic=-1 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>${QEMU_BINARY}</emulator>
    <serial type='pty'/>
    <console type='pty'/>${extra}
  </devices>
</domain>`;
}

/** Everything a console printed, read in the background, with waits for a given text. */
export class ConsoleLog {
  text = '';
  closed = false;
  private wake: (() => void) | undefined;

  constructor(output: AsyncIterable<Uint8Array>) {
    void (async () => {
      try {
        for await (const chunk of output) {
          this.text += Buffer.from(chunk).toString('utf8');
          this.wake?.();
        }
      } catch {
        // the console went away; waiters see it below
      }
      this.closed = true;
      this.wake?.();
    })();
  }

  /** Wait until `needle` appears after offset `from`; answers the offset just past it. */
  async waitFor(needle: string, from = 0, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.text.indexOf(needle, from);
      if (at >= 0) return at + needle.length;
      if (this.closed) throw new Error(`the console closed before '${needle}'; saw: ${this.text.slice(-400)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`'${needle}' did not appear on the console; saw: ${this.text.slice(-400)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** Stop every guest a test connection left running (a failed test must not leave QEMU behind). */
export async function destroyAll(conn: {
  listAllDomains(flags?: number): Promise<Array<{ getID(): number; destroy(): Promise<void> }>>;
}): Promise<void> {
  for (const dom of await conn.listAllDomains().catch(() => [])) {
    if (dom.getID() >= 0) await dom.destroy().catch(() => undefined);
  }
}

/**
 * Run a shell line on a running guest's console until its output shows `marker` (a fresh
 * console may have missed the prompt, so the line is sent again after each wait); answers
 * everything the console printed.
 */
export async function runOnConsole(
  dom: {
    openConsole(): Promise<{
      output: AsyncIterable<Uint8Array>;
      write(d: Uint8Array): Promise<void>;
      close(): Promise<void>;
    }>;
  },
  line: string,
  marker: string,
  { waitMs = 3_000, retries = 10 } = {},
): Promise<string> {
  const c = await dom.openConsole();
  const log = new ConsoleLog(c.output);
  try {
    for (let i = 0; ; i++) {
      const from = log.text.length;
      await c.write(Buffer.from(`${line}\n`));
      try {
        await log.waitFor(marker, from, waitMs);
        return log.text;
      } catch (err) {
        if (i >= retries) throw err;
      }
    }
  } finally {
    await c.close();
  }
}
