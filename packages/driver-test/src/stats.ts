import {
  type BlockStats,
  type DomainRef,
  DomainState,
  type DomainStats,
  ErrorCode,
  ErrorDomain,
  type InterfaceStats,
  parseMac,
  VirError,
} from '@tsvirt/core';
import { domainInactive, testError } from './errors.js';
import type { TestDomain, TestState } from './state.js';

/** Microseconds and whole seconds of the wall clock: the test driver's counters are made from them. */
function clock(): { micros: bigint; secs: bigint } {
  const micros = BigInt(Date.now()) * 1000n;
  return { micros, secs: micros / 1_000_000n };
}

/**
 * virDomainBlockStats / virDomainInterfaceStats as libvirt's test driver answers them: counters
 * with no meaning, derived from the current time, for a disk or NIC the running guest has.
 * Like libvirt's, it has no virDomainBlockStatsFlags (virsh falls back to virDomainBlockStats).
 */
export class TestStats implements DomainStats {
  constructor(private readonly state: TestState) {}

  private running(ref: DomainRef): TestDomain {
    const d = this.state.domains.find(ref);
    if (d.state === DomainState.SHUTOFF) throw domainInactive();
    return d;
  }

  async blockStats(ref: DomainRef, disk: string): Promise<BlockStats> {
    // The all-disks summary is refused before the domain is even looked up.
    if (disk === '') throw testError(ErrorCode.OPERATION_UNSUPPORTED, 'summary statistics are not supported yet');
    const d = this.running(ref);
    const disks = d.def.devices.disks;
    if (!disks.some((x) => x.target.dev === disk || x.source?.path === disk)) {
      throw testError(ErrorCode.INVALID_ARG, `invalid path: ${disk}`);
    }
    const { micros, secs } = clock();
    return { rdReq: micros / 10n, rdBytes: micros / 20n, wrReq: micros / 30n, wrBytes: micros / 40n, errs: secs / 2n };
  }

  /** `iface` is a MAC address (any case) or the host-side name (testnet0, ...). */
  async interfaceStats(ref: DomainRef, iface: string): Promise<InterfaceStats> {
    const d = this.running(ref);
    const mac = parseMac(iface);
    const nics = d.def.devices.interfaces;
    const found = mac
      ? nics.some((n) => n.mac.address.toLowerCase() === mac)
      : nics.some((n) => n.target?.dev === iface);
    if (!found) {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.DOMAIN,
        detail: `'${iface}' is not a known interface`,
      });
    }
    const { micros, secs } = clock();
    return {
      rxBytes: micros / 10n,
      rxPackets: micros / 100n,
      rxErrs: secs,
      rxDrop: secs / 2n,
      txBytes: micros / 20n,
      txPackets: micros / 110n,
      txErrs: secs / 3n,
      txDrop: secs / 4n,
    };
  }
}
