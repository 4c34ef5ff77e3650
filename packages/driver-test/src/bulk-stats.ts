import {
  type BulkDomainStats,
  type DomainRef,
  type DomainStatsRecordRef,
  DomainStatsTypes,
  ErrorCode,
  GET_ALL_DOMAIN_STATS_FLAGS,
  GET_ALL_DOMAIN_STATS_LIST_FILTERS,
  GetAllDomainStatsFlags,
  type StatsParam,
} from '@tsvirt/core';
import type { TestDomains } from './domains.js';
import { checkFlags, testError } from './errors.js';
import type { TestDomain, TestState } from './state.js';

/**
 * The groups libvirt 9.0's test driver collects: the state, and the iothread group, which yields
 * no figures for any of its domains.
 */
const GROUPS: readonly { bit: number; collect: (d: TestDomain) => StatsParam[] }[] = [
  {
    bit: DomainStatsTypes.STATE,
    collect: (d) => [
      { field: 'state.state', type: 'int', value: d.state },
      { field: 'state.reason', type: 'int', value: d.reason },
    ],
  },
  { bit: DomainStatsTypes.IOTHREAD, collect: () => [] },
];
const SUPPORTED = GROUPS.reduce((all, g) => all | g.bit, 0);

/** virConnectGetAllDomainStats / virDomainListGetStats as libvirt's test driver answers them. */
export class TestBulkStats implements BulkDomainStats {
  constructor(
    private readonly state: TestState,
    private readonly domains: TestDomains,
  ) {}

  async getAllDomainStats(refs: readonly DomainRef[] | undefined, stats: number, flags: number) {
    checkFlags(flags, GET_ALL_DOMAIN_STATS_FLAGS, 'testConnectGetAllDomainStats');
    const unsupported = (stats & ~SUPPORTED) >>> 0;
    if (flags & GetAllDomainStatsFlags.ENFORCE_STATS && unsupported !== 0) {
      throw testError(
        ErrorCode.ARGUMENT_UNSUPPORTED,
        `Stats types bits 0x${unsupported.toString(16)} are not supported by this daemon`,
      );
    }
    const wanted = stats === 0 ? SUPPORTED : stats & SUPPORTED;
    const filter = flags & GET_ALL_DOMAIN_STATS_LIST_FILTERS;
    const selected = refs === undefined ? await this.domains.list(filter) : await this.pick(refs, filter);
    const records: DomainStatsRecordRef[] = [];
    for (const ref of selected) {
      const d = this.state.domains.getByUuid(ref.uuid);
      if (!d) continue;
      const params = GROUPS.filter((g) => wanted & g.bit).flatMap((g) => g.collect(d));
      records.push({ ref, params });
    }
    return records;
  }

  /** The given domains that still exist and pass the list filter, in the caller's order (repeats kept). */
  private async pick(refs: readonly DomainRef[], filter: number): Promise<DomainRef[]> {
    const passing = new Map((await this.domains.list(filter)).map((r) => [r.uuid, r]));
    return refs.flatMap((r) => {
      const found = passing.get(r.uuid);
      return found ? [found] : [];
    });
  }
}
