/**
 * The checks libvirt's API layer makes before a vCPU, pinning or scheduler call reaches the
 * driver (libvirt-domain.c): sizes, exclusive flags, read-only refusals, the flag-less entry
 * points, VIR_TYPED_PARAM_STRING_OKAY; and the CPU map helpers.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/api/connect.js';
import { cpumapOf, cpusOfCpumap, formatCpuList, parseCpuList } from '../../src/api/cpumap.js';
import type { DomainCpuTuning } from '../../src/contract/cpu-tuning.js';
import { CONTRACT_VERSION, type DriverConnection, type DriverDescriptor } from '../../src/contract/driver.js';
import { ErrorCode, ErrorDomain } from '../../src/errors/codes.js';
import { VirError } from '../../src/errors/vir-error.js';

const REF = { name: 'vm', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 1 };

/** A driver recording the calls its cpuTuning group receives. */
function recordingDriver(calls: unknown[][]): DriverDescriptor {
  const record =
    (name: string, answer: unknown) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args.slice(1)]);
      return answer;
    };
  const cpuTuning: DomainCpuTuning = {
    getVcpus: record('getVcpus', { info: [], cpumaps: [] }) as DomainCpuTuning['getVcpus'],
    getVcpusFlags: record('getVcpusFlags', 2) as DomainCpuTuning['getVcpusFlags'],
    pinVcpu: record('pinVcpu', undefined) as DomainCpuTuning['pinVcpu'],
    getVcpuPinInfo: record('getVcpuPinInfo', []) as DomainCpuTuning['getVcpuPinInfo'],
    pinEmulator: record('pinEmulator', undefined) as DomainCpuTuning['pinEmulator'],
    getEmulatorPinInfo: record('getEmulatorPinInfo', new Uint8Array(1)) as DomainCpuTuning['getEmulatorPinInfo'],
    getSchedulerParameters: record('getSchedulerParameters', []) as DomainCpuTuning['getSchedulerParameters'],
    setSchedulerParameters: record('setSchedulerParameters', undefined) as DomainCpuTuning['setSchedulerParameters'],
  };
  const conn: DriverConnection = {
    hypervisor: {
      getType: () => 'FAKE',
      getVersion: async () => 1,
      getCapabilities: async () => ({ host: { arch: 'x86_64' }, guests: [] }) as never,
      listDomains: async () => [REF],
      lookupDomain: async () => REF,
      getDomainXml: async () => ({}) as never,
      cpuTuning,
    },
    close: async () => {},
  };
  return { contractVersion: CONTRACT_VERSION, name: 'fake', uriSchemes: ['fake'], open: async () => conn };
}

async function outcome(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof VirError)) throw e;
    return { code: e.code, domain: e.domain, message: e.message };
  }
}

const invalid = (message: string) => ({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });
const EXCLUSIVE = invalid("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");

describe('vCPU, pinning and scheduler calls: libvirt API-layer checks', () => {
  it('refuses bad sizes and LIVE|CONFIG before the driver, and passes the rest through', async () => {
    const calls: unknown[][] = [];
    const c = await connect('fake:///', { drivers: [recordingDriver(calls)] });
    const d = await c.lookupDomainByName('vm');
    const map = new Uint8Array([2]);
    const results = [
      await outcome(() => d.getVcpus(0, 1)),
      await outcome(() => d.getVcpuPinInfo(0, 1)),
      await outcome(() => d.getVcpuPinInfo(2, 0)),
      await outcome(() => d.getVcpuPinInfo(2, 1, 3)),
      await outcome(() => d.getEmulatorPinInfo(1, 3)),
      await outcome(() => d.getVcpusFlags(3)),
      await outcome(() => d.pinVcpu(0, new Uint8Array(0))),
      await outcome(() => d.getSchedulerParameters(3)),
    ];
    expect(results).toEqual([
      invalid('maxinfo in virDomainGetVcpus must be greater than zero'),
      invalid('ncpumaps in virDomainGetVcpuPinInfo must be greater than zero'),
      invalid('maplen in virDomainGetVcpuPinInfo must be greater than zero'),
      EXCLUSIVE,
      EXCLUSIVE,
      EXCLUSIVE,
      invalid('maplen in virDomainPinVcpu must be greater than zero'),
      EXCLUSIVE,
    ]);
    expect(calls).toEqual([]);

    await d.getVcpus(2, 1);
    await d.pinVcpu(1, map);
    await d.pinVcpu(1, map, 2);
    await d.getMaxVcpus();
    await d.getSchedulerParameters();
    await d.getSchedulerParameters(1);
    await d.setSchedulerParameters([{ field: 'weight', type: 'uint', value: 1 }]);
    await d.setSchedulerParameters([{ field: 'weight', type: 'uint', value: 1 }], 0);
    expect(calls).toEqual([
      ['getVcpus', 2, 1],
      ['pinVcpu', 1, map, 0],
      ['pinVcpu', 1, map, 2],
      // virDomainGetMaxVcpus: the live maximum
      ['getVcpusFlags', 1 | 4],
      // the flag-less entry point, then the flagged one with VIR_TYPED_PARAM_STRING_OKAY added
      ['getSchedulerParameters', undefined],
      ['getSchedulerParameters', 1 | 4],
      ['setSchedulerParameters', [{ field: 'weight', type: 'uint', value: 1 }], undefined],
      ['setSchedulerParameters', [{ field: 'weight', type: 'uint', value: 1 }], 0],
    ]);
    await c.close();
  });

  it('refuses writes on a read-only connection, naming the entry point used', async () => {
    const calls: unknown[][] = [];
    const c = await connect('fake:///', { drivers: [recordingDriver(calls)], readOnly: true });
    const d = await c.lookupDomainByName('vm');
    const map = new Uint8Array([1]);
    const denied = (api: string) => ({
      code: ErrorCode.OPERATION_DENIED,
      domain: ErrorDomain.DOMAIN,
      message: `operation forbidden: read only access prevents ${api}`,
    });
    expect([
      await outcome(() => d.pinVcpu(0, map)),
      await outcome(() => d.pinVcpu(0, map, 0)),
      await outcome(() => d.pinEmulator(map)),
      await outcome(() => d.setSchedulerParameters([])),
      await outcome(() => d.setSchedulerParameters([], 0)),
      await outcome(() => d.getVcpusFlags(8)),
      await outcome(() => d.getVcpuPinInfo(1, 1)),
    ]).toEqual([
      denied('virDomainPinVcpu'),
      denied('virDomainPinVcpuFlags'),
      denied('virDomainPinEmulator'),
      denied('virDomainSetSchedulerParameters'),
      denied('virDomainSetSchedulerParametersFlags'),
      denied('virDomainGetVcpusFlags'),
      'ok',
    ]);
    await c.close();
  });

  it('a driver without the group answers "not supported" naming the API', async () => {
    const c = await connect('fake:///', {
      drivers: [
        {
          ...recordingDriver([]),
          open: async () => ({
            hypervisor: {
              getType: () => 'FAKE',
              getVersion: async () => 1,
              getCapabilities: async () => ({}) as never,
              listDomains: async () => [REF],
              lookupDomain: async () => REF,
              getDomainXml: async () => ({}) as never,
            },
            close: async () => {},
          }),
        },
      ],
    });
    const d = await c.lookupDomainByName('vm');
    expect(await outcome(() => d.getSchedulerType())).toMatchObject({
      code: ErrorCode.NO_SUPPORT,
      message: 'this function is not supported by the connection driver: virDomainGetSchedulerType',
    });
    expect(await outcome(() => c.getCPUMap())).toMatchObject({
      code: ErrorCode.NO_SUPPORT,
      message: 'this function is not supported by the connection driver: virNodeGetCPUMap',
    });
    await c.close();
  });

  it('CPU maps: bit n of byte n/8, lists in libvirt syntax', () => {
    expect([...cpumapOf([0, 2, 9, 30], 2)]).toEqual([0b101, 0b10]);
    expect(cpusOfCpumap(new Uint8Array([0x15, 0x80]))).toEqual([0, 2, 4, 15]);
    expect(formatCpuList(parseCpuList('1-3,^2,8'))).toBe('1,3,8');
    expect(() => parseCpuList('abc')).toThrow("invalid argument: Failed to parse bitmap 'abc'");
    expect(() => parseCpuList('1024', 1024)).toThrow("Failed to parse bitmap '1024'");
  });
});
