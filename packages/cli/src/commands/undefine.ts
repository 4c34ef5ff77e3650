/**
 * virsh's undefine: virDomainUndefineFlags first; when the driver refuses the flags themselves
 * (VIR_ERR_NO_SUPPORT or VIR_ERR_INVALID_ARG, e.g. libvirt's test driver and
 * --checkpoints-metadata) virsh falls back to doing the work piece by piece and a plain
 * virDomainUndefine — except with --nvram, which only the flags call understands.
 */
import { type Domain, ErrorCode, isVirError, UndefineFlags } from '@tsvirt/core';
import type { Control } from '../control.js';

export async function undefineLikeVirsh(ctl: Control, dom: Domain, flags: number, text: string): Promise<boolean> {
  const done = `Domain '${text}' has been undefined\n`;
  const failed = `Failed to undefine domain '${text}'`;
  try {
    await dom.undefine(flags);
    ctl.printExtra(done);
    return true;
  } catch (e) {
    const refusedFlags = isVirError(e) && (e.code === ErrorCode.NO_SUPPORT || e.code === ErrorCode.INVALID_ARG);
    if (!refusedFlags || flags & UndefineFlags.NVRAM) {
      ctl.saveError(e);
      ctl.error(failed);
      return false;
    }
  }
  try {
    if (await dom.hasManagedSaveImage()) {
      if (!(flags & UndefineFlags.MANAGED_SAVE)) {
        ctl.error('Refusing to undefine while domain managed save image exists');
        return false;
      }
      await dom.managedSaveRemove();
    }
    const snapshots = await dom.listAllSnapshots().then(
      (l) => l.length,
      (e) => {
        if (isVirError(e) && e.code === ErrorCode.NO_SUPPORT) return 0;
        throw e;
      },
    );
    // Snapshot metadata alone cannot be removed without the flags call.
    if (snapshots > 0) {
      ctl.error(
        flags & UndefineFlags.SNAPSHOTS_METADATA
          ? `Unable to remove metadata of ${snapshots} snapshots`
          : `Refusing to undefine while ${snapshots} snapshots exist`,
      );
      return false;
    }
    await dom.undefine();
  } catch (e) {
    ctl.saveError(e);
    ctl.error(failed);
    return false;
  }
  ctl.printExtra(done);
  return true;
}
