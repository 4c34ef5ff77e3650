/**
 * Which disks a checkpoint covers, as libvirt's checkpoint code decides it: every writable disk
 * when the XML names none, otherwise the named ones (by target or source path), in the domain's
 * disk order, each bitmap named after the checkpoint unless the XML names it.
 */
import {
  type CheckpointDisk,
  type DomainCheckpointDef,
  type DomainDef,
  ErrorCode,
  ErrorDomain,
  VirError,
} from '@tsvirt/core';

type DomainDisk = DomainDef['devices']['disks'][number];

const unsupported = (detail: string): VirError =>
  new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, domain: ErrorDomain.DOMAIN_CHECKPOINT, detail });

/** No medium or read-only: nothing to track. */
function untrackable(disk: DomainDisk): boolean {
  const src = disk.source;
  const empty = !src || (src.path === undefined && src.name === undefined && src.volume === undefined);
  return empty || disk.readonly === true;
}

export function alignCheckpointDisks(def: DomainCheckpointDef, domain: DomainDef): CheckpointDisk[] {
  const wanted = def.disks ?? [];
  const disks = domain.devices.disks;
  if (wanted.length > disks.length) throw unsupported('too many disk checkpoint requests for domain');
  if (disks.length === 0) throw unsupported('domain must have at least one disk to perform checkpoints');
  const byTarget = new Map<string, CheckpointDisk>();
  for (const w of wanted) {
    const disk = disks.find(
      (x) => x.target.dev === w.name || (x.source?.path !== undefined && x.source.path === w.name),
    );
    if (!disk) throw unsupported(`no disk named '${w.name}'`);
    if (byTarget.has(disk.target.dev)) throw unsupported(`disk '${w.name}' specified twice`);
    if (untrackable(disk) && w.checkpoint !== 'no') throw unsupported(`disk '${w.name}' is empty or readonly`);
    byTarget.set(disk.target.dev, { ...w, name: disk.target.dev });
  }
  const fallback = wanted.length === 0 ? 'bitmap' : 'no';
  const aligned = disks.map(
    (disk): CheckpointDisk =>
      byTarget.get(disk.target.dev) ?? { name: disk.target.dev, checkpoint: untrackable(disk) ? 'no' : fallback },
  );
  return defaultBitmapNames({ ...def, disks: aligned });
}

/** Bitmap disks without a bitmap name get the checkpoint's name. */
export function defaultBitmapNames(def: DomainCheckpointDef): CheckpointDisk[] {
  return (def.disks ?? []).map((d) =>
    d.checkpoint === 'bitmap' && d.bitmap === undefined && def.name !== undefined ? { ...d, bitmap: def.name } : d,
  );
}
