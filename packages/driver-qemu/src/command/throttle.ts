/** <throttlegroups> as -object throttle-group, and a disk's <throttlefilters> as throttle nodes. */
import type { DiskDef, ThrottleGroup } from '@tsvirt/core';
import { Props } from './props.js';
import type { BuildState } from './state.js';

/** QEMU's limit names for libvirt's <iotune> fields; all but the burst lengths are always given. */
const LIMITS: Array<[string, keyof ThrottleGroup]> = [
  ['bps-total', 'total_bytes_sec'],
  ['bps-read', 'read_bytes_sec'],
  ['bps-write', 'write_bytes_sec'],
  ['iops-total', 'total_iops_sec'],
  ['iops-read', 'read_iops_sec'],
  ['iops-write', 'write_iops_sec'],
  ['bps-total-max', 'total_bytes_sec_max'],
  ['bps-read-max', 'read_bytes_sec_max'],
  ['bps-write-max', 'write_bytes_sec_max'],
  ['iops-total-max', 'total_iops_sec_max'],
  ['iops-read-max', 'read_iops_sec_max'],
  ['iops-write-max', 'write_iops_sec_max'],
  ['iops-size', 'size_iops_sec'],
];
const BURST_LENGTHS: Array<[string, keyof ThrottleGroup]> = [
  ['bps-total-max-length', 'total_bytes_sec_max_length'],
  ['bps-read-max-length', 'read_bytes_sec_max_length'],
  ['bps-write-max-length', 'write_bytes_sec_max_length'],
  ['iops-total-max-length', 'total_iops_sec_max_length'],
  ['iops-read-max-length', 'read_iops_sec_max_length'],
  ['iops-write-max-length', 'write_iops_sec_max_length'],
];

export function throttleGroupId(name: string): string {
  return `throttle-${name}`;
}

export function buildThrottleGroups(s: BuildState): void {
  for (const g of s.def.throttleGroups ?? []) {
    const limits = new Props();
    for (const [key, field] of LIMITS) limits.set(key, Number(g[field] ?? 0));
    for (const [key, field] of BURST_LENGTHS) if (Number(g[field] ?? 0) > 0) limits.set(key, Number(g[field]));
    s.object(
      new Props().set('qom-type', 'throttle-group').set('id', throttleGroupId(g.group_name)).set('limits', limits.bag),
    );
  }
}

/**
 * One throttle node per filter, stacked in order on top of the disk's top node; their node-name
 * numbers follow the disk's own. Returns the node the device attaches to.
 */
export function buildThrottleFilters(s: BuildState, d: DiskDef, top: string, n: number): string {
  let node = top;
  (d.throttleFilters ?? []).forEach((group, i) => {
    const name = `libvirt-${n + 1 + i}-filter`;
    s.add(
      '-blockdev',
      new Props()
        .set('driver', 'throttle')
        .set('node-name', name)
        .set('throttle-group', throttleGroupId(group))
        .set('file', node)
        .json(),
    );
    node = name;
  });
  return node;
}
