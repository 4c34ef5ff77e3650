/** Host CPU counts and CPU lists as virsh reads and prints them (vcpuinfo, vcpupin, emulatorpin). */
import { type Connection, cpumapLength, cpumapOf, cpusOfCpumap, formatCpuList, parseCpuList } from '@tsvirt/core';
import type { Control } from '../control.js';
import type { ParsedCommand } from '../parse-args.js';

/** virsh parses CPU lists into a bitmap of this many bits (and sends all of its bytes). */
const PARSE_BITS = 1024;

/** virshNodeGetCPUCount: virNodeGetCPUMap's count, else the node info's topology. */
export async function hostCpuCount(conn: Connection): Promise<number> {
  try {
    return (await conn.getCPUMap()).cpus;
  } catch {
    const n = await conn.getNodeInfo();
    return n.nodes * n.sockets * n.cores * n.threads;
  }
}

/**
 * virshParseCPUList: "r" for every host CPU, else a list; undefined (errors printed) when the
 * list is bad, empty, or names a CPU the host lacks.
 */
export function parseCpuListOpt(ctl: Control, text: string, maxcpu: number): Uint8Array | undefined {
  if (text.startsWith('r'))
    return cpumapOf(
      Array.from({ length: maxcpu }, (_, i) => i),
      cpumapLength(maxcpu),
    );
  let cpus: number[];
  try {
    cpus = parseCpuList(text, PARSE_BITS);
  } catch (e) {
    ctl.saveError(e);
    cpus = [];
  }
  if (cpus.length === 0) {
    ctl.error(`Invalid cpulist '${text}'`);
    return undefined;
  }
  const last = cpus.at(-1) as number;
  if (last >= maxcpu) {
    ctl.error(`CPU ${last} in cpulist '${text}' exceed the maxcpu ${maxcpu}`);
    return undefined;
  }
  return cpumapOf(cpus, cpumapLength(PARSE_BITS));
}

/** A map as virsh prints it: "0-3,6", or with `yn` one y/- per host CPU. */
export function cpumapText(map: Uint8Array, maxcpu: number, yn = false): string {
  const cpus = cpusOfCpumap(map).filter((c) => c < maxcpu);
  if (!yn) return formatCpuList(cpus);
  const set = new Set(cpus);
  return Array.from({ length: maxcpu }, (_, i) => (set.has(i) ? 'y' : '-')).join('');
}

/** virsh's unsigned int options (vshCommandOptUInt): undefined when absent, false (error printed) when bad. */
export function uintOpt(ctl: Control, cmd: ParsedCommand, name: string): number | undefined | false {
  const text = cmd.string(name);
  if (text === undefined) return undefined;
  const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(text);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n <= 0xffffffff)) {
    ctl.error(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
    return false;
  }
  return n;
}
