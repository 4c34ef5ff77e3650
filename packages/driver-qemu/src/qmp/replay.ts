/**
 * A QmpPeer that answers from a recorded transcript in libvirt's ".replies" form (as written by
 * its qemucapsprobe tool): JSON objects separated by blank lines, each command followed by its
 * reply. A new "qmp_capabilities" starts a new section, i.e. a new QEMU process.
 *
 * libvirt's own harness insists on the exact order. This one answers a command from the first
 * unused matching entry of the current section and records every deviation, so a caller can
 * report how far a probe's conversation differs instead of stopping at the first difference.
 */
import { isDeepStrictEqual } from 'node:util';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { QmpError } from './errors.js';
import type { QmpArgs, QmpPeer } from './types.js';

export interface ReplayEntry {
  readonly command: string;
  readonly args: QmpArgs | undefined;
  readonly reply: { readonly return?: unknown; readonly error?: { readonly class: string; readonly desc: string } };
}

export interface ReplayDeviation {
  readonly kind: 'out-of-order' | 'not-in-transcript';
  readonly section: number;
  readonly command: string;
  readonly args: QmpArgs | undefined;
}

function invalid(detail: string): VirError {
  return new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.QEMU, detail });
}

/** Splits a .replies file into its sections of command/reply pairs. */
export function parseReplies(text: string): ReplayEntry[][] {
  const objects = text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk, i) => {
      try {
        return JSON.parse(chunk) as Record<string, unknown>;
      } catch (err) {
        throw invalid(`replies entry ${i + 1} is not JSON: ${(err as Error).message}`);
      }
    });
  const sections: ReplayEntry[][] = [];
  for (let i = 0; i < objects.length; i++) {
    const cmd = objects[i]!;
    if (typeof cmd.execute !== 'string') throw invalid(`replies entry ${i + 1} is not a command`);
    const reply = objects[i + 1];
    if (!reply || !('return' in reply || 'error' in reply)) throw invalid(`command '${cmd.execute}' has no reply`);
    i++;
    if (cmd.execute === 'qmp_capabilities') {
      sections.push([]);
      continue;
    }
    if (sections.length === 0) sections.push([]);
    sections.at(-1)!.push({
      command: cmd.execute,
      args: cmd.arguments as QmpArgs | undefined,
      reply: reply as ReplayEntry['reply'],
    });
  }
  return sections;
}

export class QmpReplay {
  readonly deviations: ReplayDeviation[] = [];
  private readonly used: boolean[][];
  private readonly cursor: number[];

  constructor(readonly sections: readonly ReplayEntry[][]) {
    this.used = sections.map((s) => s.map(() => false));
    this.cursor = sections.map(() => 0);
  }

  static fromText(text: string): QmpReplay {
    return new QmpReplay(parseReplies(text));
  }

  /** The peer answering from one section (one QEMU process of the recording). */
  peer(section: number): QmpPeer {
    if (section >= this.sections.length) throw invalid(`the transcript has no section ${section + 1}`);
    return { execute: (command, args) => this.answer(section, command, args) };
  }

  /** Entries of a section no command asked for. */
  unused(section: number): ReplayEntry[] {
    return this.sections[section]!.filter((_, i) => !this.used[section]![i]);
  }

  private answer(section: number, command: string, args: QmpArgs | undefined): Promise<unknown> {
    const entries = this.sections[section]!;
    const used = this.used[section]!;
    const matches = (e: ReplayEntry) => e.command === command && isDeepStrictEqual(e.args ?? {}, args ?? {});
    let index = this.cursor[section]!;
    while (index < entries.length && used[index]) index++;
    if (index >= entries.length || !matches(entries[index]!)) {
      const found = entries.findIndex((e, i) => !used[i] && matches(e));
      this.deviations.push({ kind: found === -1 ? 'not-in-transcript' : 'out-of-order', section, command, args });
      if (found === -1) {
        return Promise.reject(new QmpError(command, 'CommandNotFound', `The command ${command} has not been found`));
      }
      index = found;
    } else {
      this.cursor[section] = index + 1;
    }
    used[index] = true;
    const { reply } = entries[index]!;
    if (reply.error) return Promise.reject(new QmpError(command, reply.error.class, reply.error.desc));
    return Promise.resolve(reply.return);
  }
}
