/** Pausing and continuing a guest's vCPUs. */
import type { RunningProcess } from './domain-object.js';

/**
 * Stop or continue the vCPUs, noting that QEMU's STOP/RESUME event for it is our own echo, so
 * the event handler does not take it for a change made outside the driver.
 */
export async function runCpus(proc: RunningProcess, command: 'stop' | 'cont'): Promise<void> {
  if (command === 'stop') proc.ownStops++;
  else proc.ownResumes++;
  try {
    await proc.monitor!.execute(command);
  } catch (err) {
    if (command === 'stop') proc.ownStops--;
    else proc.ownResumes--;
    throw err;
  }
}
