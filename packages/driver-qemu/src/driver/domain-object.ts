/** One guest the driver knows: its definitions, its run state and, while it runs, its process. */
import { type DomainDef, type DomainRef, DomainState } from '@tsvirt/core';
import type { QemuMonitor } from './monitor.js';

export interface QemuDomainObj {
  /** The live definition while running, else the persistent one. */
  def: DomainDef;
  /** The persistent definition while a persistent guest runs (changes apply at next boot). */
  newDef?: DomainDef;
  persistent: boolean;
  autostart: boolean;
  id: number;
  state: DomainState;
  reason: number;
  /** Set while QEMU runs. */
  process?: RunningProcess;
  /** Set when a managed-save image exists. */
  hasManagedSave: boolean;
}

export interface RunningProcess {
  pid: number;
  monitorPath: string;
  monitor?: QemuMonitor;
  /** The domain's private directory (domain-ID-NAME). */
  libDir: string;
  /** Set while the driver itself is stopping the guest, so the exit is not a crash. */
  stopping?: 'destroy' | 'shutdown';
  /** Set after the guest asked to shut down, so the exit that follows is a clean shutdown. */
  guestShutdown?: boolean;
  /** 'stop'/'cont' commands the driver sent whose STOP/RESUME events have not arrived yet. */
  ownStops: number;
  ownResumes: number;
  /** Set by reboot: the guest's next power-off is turned into a reset. */
  fakeReboot?: boolean;
}

export function refOf(dom: QemuDomainObj): DomainRef {
  return { name: dom.def.name, uuid: dom.def.uuid, id: dom.id };
}

export function isActive(dom: QemuDomainObj): boolean {
  return dom.id >= 0;
}

/** The definition new boots use: the pending persistent one if any. */
export function persistentDef(dom: QemuDomainObj): DomainDef {
  return dom.newDef ?? dom.def;
}

export function inactiveState(): Pick<QemuDomainObj, 'id' | 'state' | 'reason'> {
  return { id: -1, state: DomainState.SHUTOFF, reason: 0 };
}
