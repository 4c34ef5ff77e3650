/**
 * Host statistics for qemu:/// from the host's own files, read under `hostRoot` (normally '/';
 * tests give a directory laid out like /proc and /sys): CPU times from proc/stat, memory from
 * proc/meminfo and the NUMA nodes' meminfo in sysfs; the CPU map from sysfs (qemuNodeCpuMap). The figures, their
 * order and the errors are those libvirt 9.0's Linux host code gives. CPU model names are libvirt's
 * CPU map's, as for every driver.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkFlags,
  cpuModelsOf,
  cpumapLength,
  cpumapOf,
  ErrorCode,
  ErrorDomain,
  type HostStatsDriver,
  type NodeCpuMap,
  type NodeStat,
  VirError,
} from '@tsvirt/core';

/** Nanoseconds per clock tick (USER_HZ is 100 on Linux). */
const NS_PER_TICK = 10_000_000n;

function invalid(message: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.NONE, message });
}

/** A sysfs CPU or node list ("0-3,5") as the ids it names. */
export function parseIdList(text: string): number[] {
  const ids: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let i = a; i <= (b ?? a); i++) ids.push(i);
  }
  return ids;
}

/** "Key:   123 kB" lines (a NUMA node's lines start with "Node N "), as a map of KiB values. */
function meminfo(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const m = /^(?:Node \d+ )?([\w()]+):\s+(\d+)/.exec(line);
    if (m) out.set(m[1] as string, BigInt(m[2] as string));
  }
  return out;
}

export function qemuHostStats(hostRoot = '/'): HostStatsDriver {
  const read = (...parts: string[]) => readFile(join(hostRoot, ...parts), 'utf8');
  const nodeIds = async () => parseIdList(await read('sys/devices/system/node/online'));
  const nodeMeminfo = async (cell: number) => meminfo(await read('sys/devices/system/node', `node${cell}`, 'meminfo'));

  return {
    async getCpuModelNames(arch, flags) {
      checkFlags(flags, 0, 'qemuConnectGetCPUModelNames', ErrorDomain.QEMU);
      return cpuModelsOf(arch, ErrorDomain.QEMU);
    },

    async getCpuStats(cpuNum, flags) {
      checkFlags(flags, 0, 'virHostCPUGetStats');
      const prefix = cpuNum === -1 ? 'cpu' : `cpu${cpuNum}`;
      const line = (await read('proc/stat')).split('\n').find((l) => l.split(/\s+/)[0] === prefix);
      if (!line) throw invalid('Invalid cpuNum in virHostCPUGetStatsLinux');
      const [user, nice, system, idle, iowait, irq, softirq] = line
        .trim()
        .split(/\s+/)
        .slice(1)
        .map((x) => BigInt(x)) as bigint[];
      const t = (v: bigint | undefined) => (v ?? 0n) * NS_PER_TICK;
      return [
        { field: 'kernel', value: t((system ?? 0n) + (irq ?? 0n) + (softirq ?? 0n)) },
        { field: 'user', value: t((user ?? 0n) + (nice ?? 0n)) },
        { field: 'idle', value: t(idle) },
        { field: 'iowait', value: t(iowait) },
      ];
    },

    async getMemoryStats(cellNum, flags) {
      checkFlags(flags, 0, 'virHostMemGetStats');
      if (cellNum === -1) {
        const m = meminfo(await read('proc/meminfo'));
        const fields: [string, string][] = [
          ['total', 'MemTotal'],
          ['free', 'MemFree'],
          ['buffers', 'Buffers'],
          ['cached', 'Cached'],
        ];
        return fields.map(([field, key]) => ({ field, value: m.get(key) ?? 0n }));
      }
      const max = Math.max(...(await nodeIds()));
      if (cellNum > max) throw invalid(`cellNum in virHostMemGetStats must be less than or equal to ${max}`);
      const m = await nodeMeminfo(cellNum);
      const stats: NodeStat[] = [
        { field: 'total', value: m.get('MemTotal') ?? 0n },
        { field: 'free', value: m.get('MemFree') ?? 0n },
      ];
      return stats;
    },

    async getCellsFreeMemory(startCell, maxCells) {
      const max = Math.max(...(await nodeIds()));
      if (startCell > max) {
        throw new VirError({
          code: ErrorCode.INTERNAL_ERROR,
          domain: ErrorDomain.NONE,
          detail: `start cell ${startCell} out of range (0-${max})`,
        });
      }
      const out: bigint[] = [];
      for (let cell = startCell; cell <= max && out.length < maxCells; cell++) {
        out.push(((await nodeMeminfo(cell)).get('MemFree') ?? 0n) * 1024n);
      }
      return out;
    },
  };
}

/** virNodeGetCPUMap from sysfs: CPUs present (highest id + 1) and the online ones. */
export async function qemuNodeCpuMap(hostRoot: string, flags: number): Promise<NodeCpuMap> {
  checkFlags(flags, 0, 'virHostCPUGetMap');
  const read = (path: string) => readFile(join(hostRoot, path), 'utf8');
  const present = parseIdList(await read('sys/devices/system/cpu/present'));
  const online = parseIdList(await read('sys/devices/system/cpu/online'));
  const cpus = Math.max(...present) + 1;
  return { cpus, online: online.length, map: cpumapOf(online, cpumapLength(cpus)) };
}
