/** <bandwidth> on devices: a network's bridge (hierarchical classes) and a guest's tap. */

import { ErrorCode } from '@tsvirt/core';
import type { Host } from '../driver/host.js';
import { networkError } from '../errors.js';
import type { Bandwidth } from '../model.js';
import { runTcSteps } from './apply.js';
import { clearSteps, setSteps } from './tc-commands.js';

function requireRoot(): void {
  if (process.geteuid?.() !== 0) {
    throw networkError(ErrorCode.OPERATION_UNSUPPORTED, 'Network bandwidth tuning is not available in session mode');
  }
}

/** A network's bridge: guest inbound is what the bridge transmits, classes 1:1 and 1:2. */
export async function applyNetworkBandwidth(host: Host, bridge: string, bw: Bandwidth): Promise<string[]> {
  requireRoot();
  return runTcSteps(setSteps(bridge, bw, { hierarchical: true, swapped: true }), (a) => host.run(a));
}

/**
 * A guest's own limits on its device. A tap faces the guest (the host transmits the guest's
 * inbound traffic into it: swapped); a macvtap shares the host's view (not swapped).
 */
export async function applyPortBandwidth(
  host: Host,
  ifname: string,
  bw: Bandwidth,
  swapped: boolean,
): Promise<string[]> {
  requireRoot();
  return runTcSteps(setSteps(ifname, bw, { hierarchical: false, swapped }), (a) => host.run(a));
}

export async function clearBandwidth(host: Host, dev: string): Promise<void> {
  await runTcSteps(clearSteps(dev), (a) => host.run(a));
}
