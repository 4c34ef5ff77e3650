import { cpuModelsOf, ErrorCode, ErrorDomain, type HostStatsDriver, type NodeStat } from '@tsvirt/core';
import { checkFlags, testError } from './errors.js';

/**
 * The free memory libvirt's test driver reports for each NUMA cell of test:///default. Like
 * libvirt's, it hands back each cell's size in KiB where bytes are expected (so virsh freecell
 * shows 2048 and 4096 KiB). Hosts loaded from a node file have no cells.
 */
export const DEFAULT_CELL_FREE_MEMORY: readonly bigint[] = [2_097_152n, 4_194_304n];

/**
 * virNodeGetFreeMemory of the test driver: the sum of its cells' free memory, which libvirt keeps
 * at half of each cell's size (3145728 for test:///default; 0 for node files, which have no cells).
 */
export function totalFreeMemory(cellSizes: readonly bigint[]): number {
  return Number(cellSizes.reduce((sum, size) => sum + size / 2n, 0n));
}

/** The fixed host CPU times (ns) libvirt's test driver answers for any CPU number. */
const TEST_CPU_STATS: readonly NodeStat[] = [
  { field: 'user', value: 9_797_400_000n },
  { field: 'kernel', value: 34_678_723_400_000n },
  { field: 'idle', value: 87_264_900_000n },
  { field: 'iowait', value: 763_600_000n },
];

/** Host-side statistics of the test driver; it has no virNodeGetMemoryStats, as libvirt's has none. */
export function testHostStats(cellFreeMemory: readonly bigint[]): HostStatsDriver {
  return {
    async getCellsFreeMemory(startCell, maxCells) {
      if (startCell >= cellFreeMemory.length) {
        throw testError(ErrorCode.INVALID_ARG, 'Range exceeds available cells');
      }
      return cellFreeMemory.slice(startCell, startCell + maxCells);
    },
    async getCpuStats(_cpuNum, flags) {
      checkFlags(flags, 0, 'testNodeGetCPUStats');
      return TEST_CPU_STATS.map((s) => ({ ...s }));
    },
    async getCpuModelNames(arch, flags) {
      checkFlags(flags, 0, 'testConnectGetCPUModelNames');
      return cpuModelsOf(arch, ErrorDomain.TEST);
    },
  };
}
