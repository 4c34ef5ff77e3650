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

interface QmpBlockStatsNode {
  stats: QmpStats;
  /** The protocol (file) node under a format node. */
  parent?: QmpBlockStatsNode;
  /** The next image down the backing chain. */
  backing?: QmpBlockStatsNode;
}

interface QmpBlockStatsEntry extends QmpBlockStatsNode {
  device?: string;
  qdev?: string;
}

interface QmpImageInfo {
  filename?: string;
  'virtual-size'?: number;
  'actual-size'?: number;
  'backing-image'?: QmpImageInfo;
}

interface QmpBlockInfo {
  device?: string;
  qdev?: string;
  inserted?: { image?: QmpImageInfo };
}

const big = (n: number | undefined): bigint => BigInt(n ?? 0);

/**
 * One entry per disk of the definition, in its order; with `backing`, a running disk's backing
 * images follow it (libvirt probes no chain for a shut-off guest, so none is listed then).
 */
export async function collectBlock(
  def: DomainDef,
  monitor: QemuMonitor | undefined,
  backing = false,
): Promise<BlockFigures[]> {
  const disks = def.devices.disks;
  if (!monitor) return Promise.all(disks.map(offlineFigures));
  const [stats, blocks] = await Promise.all([
    monitor.execute<QmpBlockStatsEntry[]>('query-blockstats').catch(() => [] as QmpBlockStatsEntry[]),
    monitor.execute<QmpBlockInfo[]>('query-block').catch(() => [] as QmpBlockInfo[]),
  ]);
  const aliases = assignAliases(def);
  const aliasOf = (disk: DiskDef) => disk.info.alias ?? aliases.get(disk) ?? '';
  const chains = new Map(
    disks.map((disk) => [disk, imageChain(findBlockStatsEntry(blocks, aliasOf(disk))?.inserted?.image)]),
  );
  const indexes = storageIds(def, chains);
  const out: BlockFigures[] = [];
  for (const disk of disks) {
    const path = disk.source?.path;
    const figures: BlockFigures = { name: disk.target.dev, path };
    // An empty drive has no image, hence no index and no sizes.
    if (path !== undefined) figures.backingIndex = indexes.get(disk);
    const entry = findBlockStatsEntry(stats, aliasOf(disk));
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
      if (path !== undefined) figures.allocation = highestOffset(entry);
    }
    const chain = chains.get(disk) ?? [];
    const top = chain[0];
    if (top && path !== undefined) {
      figures.capacity = big(top['virtual-size']);
      figures.physical = big(top['actual-size']);
    }
    out.push(figures);
    if (!backing || path === undefined) continue;
    // The backing images: no I/O counters of their own, sizes from query-block.
    let node = entry?.backing;
    for (const [depth, image] of chain.slice(1).entries()) {
      out.push({
        name: disk.target.dev,
        path: image.filename,
        backingIndex: (figures.backingIndex ?? 0) + depth + 1,
        allocation: node ? highestOffset(node) : 0n,
        capacity: big(image['virtual-size']),
        physical: big(image['actual-size']),
      });
      node = node?.backing;
    }
  }
  return out;
}

/** The host file's highest written offset: the protocol node's, under the format node. */
function highestOffset(entry: QmpBlockStatsNode): bigint {
  return big(entry.parent?.stats.wr_highest_offset ?? entry.stats.wr_highest_offset);
}

/** A disk's images from the top down, as query-block nests them. */
function imageChain(image: QmpImageInfo | undefined): QmpImageInfo[] {
  const chain: QmpImageInfo[] = [];
  for (let i: QmpImageInfo | undefined = image; i; i = i['backing-image']) chain.push(i);
  return chain;
}

/**
 * libvirt's storage source ids (the N of libvirt-N-format, reported as backingIndex): given
 * out from the last disk to the first, each disk's top image then its backing images, empty
 * drives taking one too (SD cards use -drive and take none).
 */
function storageIds(def: DomainDef, chains: Map<DiskDef, QmpImageInfo[]>): Map<DiskDef, number> {
  const ids = new Map<DiskDef, number>();
  let next = 1;
  for (const disk of [...def.devices.disks].reverse()) {
    if (disk.target.bus === 'sd') continue;
    ids.set(disk, next);
    next += Math.max(1, chains.get(disk)?.length ?? 1);
  }
  return ids;
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
