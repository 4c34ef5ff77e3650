/**
 * virDomainGetBlockInfo, virDomainGet/SetTime and virDomainGetFSInfo as libvirt's test driver
 * answers them: fixed sizes for any disk with a source, a guest clock the caller can set, and two
 * ext4 file systems on the first disk.
 */
import {
  type DiskDef,
  type DomainBlockInfo,
  type DomainFSInfo,
  type DomainGuestInfo,
  type DomainRef,
  DomainState,
  type DomainTime,
  ErrorCode,
} from '@tsvirt/core';
import { DEFAULT_GUEST_SECONDS } from './control-info.js';
import { checkFlags, domainInactive, testError } from './errors.js';
import type { TestDomain } from './state.js';

/** VIR_DOMAIN_TIME_SYNC. */
const TIME_SYNC = 1;

/** The sizes libvirt's test driver reports for every disk: a 1 TiB image, a little short of full. */
const BLOCK_INFO: DomainBlockInfo = {
  capacity: 1_099_506_450_432n,
  allocation: 1_099_511_627_776n,
  physical: 1_099_511_627_776n,
};

/** The guest clock of a domain: libvirt's test driver starts every one at the same instant. */
export function guestClock(d: TestDomain): DomainTime {
  return d.clock ?? { seconds: BigInt(DEFAULT_GUEST_SECONDS), nseconds: 0 };
}

/** virStorageSourceIsEmpty: no path (or, for a network disk, no protocol). */
function hasNoSource(disk: DiskDef): boolean {
  if (disk.type === 'network') return disk.source?.protocol === undefined;
  return disk.source?.path === undefined;
}

export class TestGuestInfo implements DomainGuestInfo {
  constructor(private readonly find: (ref: DomainRef) => TestDomain) {}

  async getBlockInfo(ref: DomainRef, disk: string, flags: number): Promise<DomainBlockInfo> {
    checkFlags(flags, 0, 'testDomainGetBlockInfo');
    const d = this.find(ref);
    const found = d.def.devices.disks.find((x) => x.target.dev === disk || x.source?.path === disk);
    if (!found) throw testError(ErrorCode.INVALID_ARG, `invalid path ${disk} not assigned to domain`);
    if (hasNoSource(found)) {
      throw testError(ErrorCode.INVALID_ARG, `disk '${disk}' does not currently have a source assigned`);
    }
    return { ...BLOCK_INFO };
  }

  async getTime(ref: DomainRef, flags: number): Promise<DomainTime> {
    checkFlags(flags, 0, 'testDomainGetTime');
    const d = this.find(ref);
    // Paused guests have no clock to read either.
    if (d.state !== DomainState.RUNNING) {
      throw testError(ErrorCode.OPERATION_INVALID, 'domain is not running');
    }
    return { ...guestClock(d) };
  }

  async setTime(ref: DomainRef, time: DomainTime, flags: number): Promise<void> {
    checkFlags(flags, TIME_SYNC, 'testDomainSetTime');
    const d = this.find(ref);
    if (d.state === DomainState.SHUTOFF) throw domainInactive();
    d.clock = { seconds: time.seconds, nseconds: time.nseconds };
  }

  async getFSInfo(ref: DomainRef, flags: number): Promise<DomainFSInfo[]> {
    checkFlags(flags, 0, 'testDomainGetFSInfo');
    const d = this.find(ref);
    if (d.state === DomainState.SHUTOFF) throw domainInactive();
    const disk = d.def.devices.disks.find((x) => x.device === 'disk');
    if (!disk) return [];
    const dev = disk.target.dev;
    return [
      { mountpoint: '/', name: `${dev}1`, fstype: 'ext4', devAlias: [dev] },
      { mountpoint: '/boot', name: `${dev}2`, fstype: 'ext4', devAlias: [dev] },
    ];
  }
}
