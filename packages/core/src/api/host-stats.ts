import type { HypervisorDriver } from '../contract/driver.js';
import type { BulkDomainStats, HostStatsDriver, NodeStat } from '../contract/host-stats.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/** libvirt-host.c's argument checks, worded in full as its virCheck*Arg macros word them. */
function badArg(message: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });
}

/** virReportUnsupportedError: the template and the API name travel as str1/str2, as libvirtd sends them. */
function unsupported(api: string): VirError {
  return new VirError({
    code: ErrorCode.NO_SUPPORT,
    domain: ErrorDomain.DOMAIN,
    detail: api,
    str1: 'this function is not supported by the connection driver: %s',
    str2: api,
  });
}

/**
 * The driver's method, bound, or libvirt's "not supported" error as libvirt-host.c raises it
 * (from the domain error domain, as its VIR_FROM_THIS is).
 */
function hostMethod<K extends keyof HostStatsDriver>(hv: HypervisorDriver, name: K, api: string) {
  const fn = hv.hostStats?.[name];
  if (fn === undefined) throw unsupported(api);
  return fn.bind(hv.hostStats) as NonNullable<HostStatsDriver[K]>;
}

/** virNodeGetCellsFreeMemory: bytes free in each of up to `maxCells` cells from `startCell`. */
export async function cellsFreeMemory(hv: HypervisorDriver, startCell: number, maxCells: number): Promise<bigint[]> {
  const api = 'virNodeGetCellsFreeMemory';
  if (startCell < 0) throw badArg(`startCell in ${api} must be zero or greater`);
  if (maxCells <= 0) throw badArg(`maxCells in ${api} must be greater than zero`);
  return hostMethod(hv, 'getCellsFreeMemory', api)(startCell, maxCells);
}

/** virNodeGetCPUStats: `cpuNum` -1 for the whole host. */
export async function nodeCpuStats(hv: HypervisorDriver, cpuNum: number, flags: number): Promise<NodeStat[]> {
  const api = 'virNodeGetCPUStats';
  if (cpuNum < -1) throw badArg(`cpuNum in ${api} only accepts -1 as a negative value`);
  return hostMethod(hv, 'getCpuStats', api)(cpuNum, flags);
}

/** virNodeGetMemoryStats: `cellNum` -1 for the whole host; values in KiB. */
export async function nodeMemoryStats(hv: HypervisorDriver, cellNum: number, flags: number): Promise<NodeStat[]> {
  const api = 'virNodeGetMemoryStats';
  if (cellNum < -1) throw badArg(`cellNum in ${api} only accepts -1 as a negative value`);
  return hostMethod(hv, 'getMemoryStats', api)(cellNum, flags);
}

export async function cpuModelNames(hv: HypervisorDriver, arch: string, flags: number): Promise<string[]> {
  return hostMethod(hv, 'getCpuModelNames', 'virConnectGetCPUModelNames')(arch, flags);
}

/** virDomainListGetStats refuses an empty list before the driver sees it. */
export function assertSomeDomains(count: number): void {
  if (count === 0) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.DOMAIN,
      detail: 'doms array in virDomainListGetStats must contain at least one domain',
    });
  }
}

/** The driver's bulk-stats method, or "not supported" from the domain error domain (libvirt-domain.c's). */
export function bulkMethod(hv: HypervisorDriver, api: string): BulkDomainStats['getAllDomainStats'] {
  const bulk = hv.bulkStats;
  if (bulk === undefined) throw unsupported(api);
  return bulk.getAllDomainStats.bind(bulk);
}
