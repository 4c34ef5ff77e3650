/**
 * The block group's figures per disk: I/O counters from query-blockstats and sizes from
 * query-block while QEMU runs; sizes read from the image file itself while the guest is off.
 */
import { open, stat } from 'node:fs/promises';
import type { DiskDef, DomainDef } from '@tsvirt/core';
import { assignAliases } from '../command/aliases.js';
import type { QemuMonitor } from './monitor.js';
import { findBlockStatsEntry } from './stats.js';

export interface BlockIo {
  rdReqs: bigint;
  rdBytes: bigint;
  rdTimes: bigint;
  wrReqs: bigint;
  wrBytes: bigint;
  wrTimes: bigint;
  flReqs: bigint;
  flTimes: bigint;
}

export interface BlockFigures {
  name: string;
  path?: string;
  /** The top image's index in libvirt's node names (libvirt-N-format), while running. */
  backingIndex?: number;
  io?: BlockIo;
  allocation?: bigint;
  capacity?: bigint;
  physical?: bigint;
}

interface QmpStats {
  rd_operations: number;
  rd_bytes: number;
  rd_total_time_ns: number;
  wr_operations: number;
  wr_bytes: number;
  wr_total_time_ns: number;
  flush_operations: number;
  flush_total_time_ns: number;
  wr_highest_offset?: number;
}

interface QmpBlockStatsEntry {
  device?: string;
  qdev?: string;
  stats: QmpStats;
  /** The protocol (file) node under the format node. */
  parent?: { stats: QmpStats };
}

interface QmpBlockInfo {
  device?: string;
  qdev?: string;
  inserted?: { image?: { 'virtual-size'?: number; 'actual-size'?: number } };
}

const big = (n: number | undefined): bigint => BigInt(n ?? 0);

/** One entry per disk of the definition, in its order. */
export async function collectBlock(def: DomainDef, monitor: QemuMonitor | undefined): Promise<BlockFigures[]> {
  const disks = def.devices.disks;
  if (!monitor) return Promise.all(disks.map(offlineFigures));
  const [stats, blocks] = await Promise.all([
    monitor.execute<QmpBlockStatsEntry[]>('query-blockstats').catch(() => [] as QmpBlockStatsEntry[]),
    monitor.execute<QmpBlockInfo[]>('query-block').catch(() => [] as QmpBlockInfo[]),
  ]);
  const aliases = assignAliases(def);
  const indexes = nodeIndexes(def);
  return disks.map((disk) => {
    const alias = disk.info.alias ?? aliases.get(disk) ?? '';
    const path = disk.source?.path;
    const figures: BlockFigures = { name: disk.target.dev, path };
    // An empty drive has no image, hence no index and no sizes.
    if (path !== undefined) figures.backingIndex = disk.source?.index ?? indexes.get(disk);
    const entry = findBlockStatsEntry(stats, alias);
    if (entry) {
      const s = entry.stats;
      figures.io = {
        rdReqs: big(s.rd_operations),
        rdBytes: big(s.rd_bytes),
        rdTimes: big(s.rd_total_time_ns),
        wrReqs: big(s.wr_operations),
        wrBytes: big(s.wr_bytes),
        wrTimes: big(s.wr_total_time_ns),
        flReqs: big(s.flush_operations),
        flTimes: big(s.flush_total_time_ns),
      };
      // The host file's highest written offset: the protocol node's, under the format node.
      if (path !== undefined) figures.allocation = big(entry.parent?.stats.wr_highest_offset ?? s.wr_highest_offset);
    }
    const image = findBlockStatsEntry(blocks, alias)?.inserted?.image;
    if (image && path !== undefined) {
      figures.capacity = big(image['virtual-size']);
      figures.physical = big(image['actual-size']);
    }
    return figures;
  });
}

/**
 * The node-name indexes the command line gave the disks: every -blockdev disk counts, empty
 * drives too, the first one getting the highest number (SD cards use -drive and take none).
 */
function nodeIndexes(def: DomainDef): Map<DiskDef, number> {
  const disks = def.devices.disks.filter((d) => d.target.bus !== 'sd');
  return new Map(disks.map((d, i) => [d, disks.length - i]));
}

/** A shut-off guest's disk: what the image file on the host says (nothing for an empty drive or a network source). */
async function offlineFigures(disk: DiskDef): Promise<BlockFigures> {
  const path = disk.source?.path;
  const figures: BlockFigures = { name: disk.target.dev, path };
  if (!path || (disk.type !== 'file' && disk.type !== 'block')) return figures;
  try {
    const st = await stat(path, { bigint: true });
    figures.allocation = st.blocks * 512n;
    figures.capacity = (await qcow2VirtualSize(path)) ?? st.size;
    figures.physical = st.size;
  } catch {
    // the image is missing: libvirt leaves the sizes out too
  }
  return figures;
}

/** The guest-visible size a qcow2 header records (bytes 24..31, big-endian); undefined for other formats. */
async function qcow2VirtualSize(path: string): Promise<bigint | undefined> {
  const fh = await open(path, 'r');
  try {
    const header = Buffer.alloc(32);
    const { bytesRead } = await fh.read(header, 0, 32, 0);
    if (bytesRead < 32 || header.readUInt32BE(0) !== 0x514649fb) return undefined;
    return header.readBigUInt64BE(24);
  } finally {
    await fh.close();
  }
}
