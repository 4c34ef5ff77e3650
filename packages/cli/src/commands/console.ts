/**
 * `console DOMAIN`: the guest's serial console on this terminal, in raw mode, until the escape
 * character (^] by default) is typed or the guest side closes. Like virsh, it needs a real TTY.
 */
import { DomainState, isVirError } from '@tsvirt/core';
import { By, optDomain } from '../lookup.js';
import type { CommandDef } from './types.js';
import { opt } from './types.js';

/** '^]' → 0x1d: virsh accepts a caret and a character, the control code of that character. */
function escapeByte(sequence: string): number | undefined {
  if (sequence.length === 2 && sequence[0] === '^') return sequence.charCodeAt(1) ^ 0x40;
  return undefined;
}

export const consoleCommand: CommandDef = {
  name: 'console',
  group: 'domain',
  help: 'connect to the guest console',
  desc: 'Connect the virtual serial console for the guest',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.string('devname', 'character device name'),
    opt.bool('force', 'force console connection (disconnect already connected sessions)'),
    opt.bool('safe', 'only connect if safe console handling is supported'),
  ],
  async run(ctl, cmd) {
    try {
      const { dom } = await optDomain(ctl, cmd, By.ID | By.NAME | By.UUID);
      const { state } = await dom.getState();
      if (state !== DomainState.RUNNING && state !== DomainState.PAUSED) {
        ctl.error('The domain is not running');
        return false;
      }
      const stdin = process.stdin;
      if (!stdin.isTTY) {
        ctl.error('Cannot run interactive console without a controlling TTY');
        return false;
      }
      const escapeCode = escapeByte(ctl.escape) ?? 0x1d;
      ctl.printExtra(`Connected to domain '${dom.getName()}'\n`);
      ctl.printExtra(`Escape character is ${ctl.escape} (Ctrl + ${ctl.escape.slice(1)})\n`);
      let flags = 0;
      if (cmd.bool('force')) flags |= 1;
      if (cmd.bool('safe')) flags |= 2;
      let stream: Awaited<ReturnType<typeof dom.openConsole>>;
      try {
        stream = await dom.openConsole(cmd.string('devname'), flags);
      } catch (err) {
        ctl.saveError(err);
        ctl.reportError();
        return false;
      }
      await proxy(stream, escapeCode);
      return true;
    } catch (err) {
      if (isVirError(err)) {
        ctl.saveError(err);
        ctl.reportError();
        return false;
      }
      throw err;
    } finally {
      ctl.print('\n');
    }
  },
};

/** Copy terminal → guest and guest → terminal until the escape byte or the end of the stream. */
async function proxy(
  stream: { output: AsyncIterable<Uint8Array>; write(d: Uint8Array): Promise<void>; close(): Promise<void> },
  escapeCode: number,
): Promise<void> {
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onInput = (chunk: Buffer) => {
    const at = chunk.indexOf(escapeCode);
    if (at >= 0) {
      if (at > 0) void stream.write(chunk.subarray(0, at));
      finish();
      return;
    }
    void stream.write(chunk);
  };
  stdin.on('data', onInput);
  const pump = (async () => {
    for await (const chunk of stream.output) process.stdout.write(chunk);
  })().catch(() => undefined);
  await Promise.race([done, pump]);
  stdin.off('data', onInput);
  stdin.setRawMode(false);
  stdin.pause();
  await stream.close();
}
