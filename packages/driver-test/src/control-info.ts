import type { DomainControlInfo, DomainMemoryStat } from '@tsvirt/core';

/**
 * The guest clock libvirt's test driver starts every domain with (seconds since the epoch); its
 * virDomainSetTime changes it. tsvirt's test driver has no virDomainSetTime yet, so every domain
 * keeps this value.
 */
export const DEFAULT_GUEST_SECONDS = 627_319_920;

/**
 * libvirt's test driver's memory statistics: fixed fractions of the balloon target, in its
 * order, only when the domain has a balloon device.
 */
export function memoryStatsFor(currentKiB: number, hasBalloon: boolean, max: number): DomainMemoryStat[] {
  if (!hasBalloon) return [];
  const cur = BigInt(currentKiB);
  const all: [number, bigint][] = [
    [6, cur], // actual balloon
    [0, 0n], // swap in
    [1, 0n], // swap out
    [2, 0n], // major faults
    [3, 0n], // minor faults
    [4, cur / 2n], // unused
    [5, cur], // available
    [8, cur / 2n], // usable
    [9, BigInt(DEFAULT_GUEST_SECONDS)], // last update
    [10, cur / 8n], // disk caches
    [11, 0n], // hugetlb allocations
    [12, 0n], // hugetlb failures
    [7, cur / 2n], // rss
  ];
  return all.slice(0, max).map(([tag, val]) => ({ tag, val }));
}

/**
 * libvirt's test driver derives the control state from the guest clock's seconds, so that tests
 * can reach every state by setting the time: under 10000 a background job, under 30000 occupied,
 * under 60000 an error (the reason cycling through the four), otherwise ok.
 */
export function controlInfoFor(seconds: number): DomainControlInfo {
  if (seconds > 0 && seconds < 10_000) return { state: 1, details: 0, stateTime: seconds };
  if (seconds >= 10_000 && seconds < 30_000) return { state: 2, details: 0, stateTime: seconds - 10_000 };
  if (seconds >= 30_000 && seconds < 60_000) return { state: 3, details: seconds % 4, stateTime: seconds - 30_000 };
  return { state: 0, details: 0, stateTime: 0 };
}
