import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/api/connect.js';
import { CONTRACT_VERSION, DECLINED, type DriverConnection, type DriverDescriptor } from '../../src/contract/driver.js';
import { ErrorCode } from '../../src/errors/codes.js';
import { VirError } from '../../src/errors/vir-error.js';
import { negotiateOpen, registerDriver, registeredDrivers, unregisterDriver } from '../../src/registry/registry.js';
import { parseConnectUri } from '../../src/uri/connect-uri.js';

function fakeConnection(type: string): DriverConnection {
  return {
    hypervisor: {
      getType: () => type,
      getVersion: async () => 1,
      getCapabilities: async () => ({ host: { arch: 'x86_64' }, guests: [] }) as never,
      listDomains: async () => [],
      lookupDomain: async () => {
        throw new VirError({ code: ErrorCode.NO_DOMAIN });
      },
      getDomainXml: async () => {
        throw new VirError({ code: ErrorCode.NO_DOMAIN });
      },
    },
    close: async () => {},
  };
}

function descriptor(
  name: string,
  schemes: string[],
  answer: 'declined' | 'open' | 'throw',
  extra: Partial<DriverDescriptor> = {},
) {
  const calls: string[] = [];
  const d: DriverDescriptor = {
    contractVersion: CONTRACT_VERSION,
    name,
    uriSchemes: schemes,
    ...extra,
    async open(uri) {
      calls.push(uri.raw);
      if (answer === 'declined') return DECLINED;
      if (answer === 'throw') throw new VirError({ code: ErrorCode.OPERATION_FAILED, detail: `${name} refused` });
      return fakeConnection(name);
    },
  };
  return { d, calls };
}

const env = { HOME: '/nonexistent' } as NodeJS.ProcessEnv;

describe('driver negotiation', () => {
  const added: DriverDescriptor[] = [];
  afterEach(() => {
    for (const d of added.splice(0)) unregisterDriver(d);
  });

  it('tries the next driver when one declines, and stops at the first connection', async () => {
    const a = descriptor('a', ['demo'], 'declined');
    const b = descriptor('b', ['demo'], 'open');
    const c = descriptor('c', ['demo'], 'open');
    const r = await negotiateOpen(parseConnectUri('demo:///x'), { drivers: [a.d, b.d, c.d] });
    expect(r.driver.name).toBe('b');
    expect(a.calls).toEqual(['demo:///x']);
    expect(c.calls).toEqual([]);
  });

  it('stops with the error of a driver that throws', async () => {
    const a = descriptor('a', ['demo'], 'throw');
    const b = descriptor('b', ['demo'], 'open');
    await expect(negotiateOpen(parseConnectUri('demo:///x'), { drivers: [a.d, b.d] })).rejects.toThrow('a refused');
    expect(b.calls).toEqual([]);
  });

  it('offers remote URIs only to remote-capable drivers and local ones only to local drivers', async () => {
    const local = descriptor('local', ['demo'], 'open', { localOnly: true });
    const remote = descriptor('remote', [], 'open', { remoteOnly: true });
    const r1 = await negotiateOpen(parseConnectUri('demo+ssh://host/x'), { drivers: [local.d, remote.d] });
    expect(r1.driver.name).toBe('remote');
    const r2 = await negotiateOpen(parseConnectUri('demo:///x'), { drivers: [remote.d, local.d] });
    expect(r2.driver.name).toBe('local');
  });

  it('names the package to install when no driver takes the URI', async () => {
    await expect(negotiateOpen(parseConnectUri('qemu:///system'), { drivers: [] })).rejects.toMatchObject({
      code: ErrorCode.NO_CONNECT,
      message: 'no connection driver available for qemu:///system (install @tsvirt/driver-qemu)',
    });
    await expect(connect('bhyve:///system', { env, searchPaths: ['/nonexistent'] })).rejects.toThrow(
      /install @tsvirt\/driver-bhyve/,
    );
  });

  it('keeps registered drivers in one registry shared by every copy of core', async () => {
    const x = descriptor('x', ['xdemo'], 'open');
    registerDriver(x.d);
    added.push(x.d);
    expect(registeredDrivers()).toContain(x.d);
    const shared = (globalThis as Record<symbol, unknown>)[Symbol.for('tsvirt.driverRegistry')] as DriverDescriptor[];
    expect(shared).toContain(x.d);
    const conn = await connect('xdemo:///anything', { env });
    expect(conn.getType()).toBe('x');
    await conn.close();
  });

  it('refuses descriptors of an unknown contract version', () => {
    const bad = { ...descriptor('bad', ['b'], 'open').d, contractVersion: 99 } as unknown as DriverDescriptor;
    expect(() => registerDriver(bad)).toThrow(/contract version 99/);
  });

  it('uses LIBVIRT_DEFAULT_URI / TSVIRT_DEFAULT_URI when no URI is given', async () => {
    const d = descriptor('envdemo', ['envdemo'], 'open');
    const conn = await connect(undefined, { env: { ...env, LIBVIRT_DEFAULT_URI: 'envdemo:///a' }, drivers: [d.d] });
    expect(d.calls).toEqual(['envdemo:///a']);
    await conn.close();
    await connect(undefined, {
      env: { ...env, LIBVIRT_DEFAULT_URI: 'x:///', TSVIRT_DEFAULT_URI: 'envdemo:///b' },
      drivers: [d.d],
    });
    expect(d.calls).toEqual(['envdemo:///a', 'envdemo:///b']);
  });

  it('reports optional methods as unsupported with VIR_ERR_NO_SUPPORT', async () => {
    const d = descriptor('bare', ['bare'], 'open');
    const conn = await connect('bare:///x', { env, drivers: [d.d] });
    expect(conn.supports('domain.lifecycle')).toBe(false);
    expect(conn.supports('domain.getCapabilities')).toBe(true);
    await expect(conn.defineDomainXml('<domain/>')).rejects.toMatchObject({
      code: ErrorCode.NO_SUPPORT,
      message: 'this function is not supported by the connection driver: virDomainDefineXML',
    });
    await expect(conn.listAllNetworks()).rejects.toMatchObject({ code: ErrorCode.NO_SUPPORT });
    await expect(conn.getNodeInfo()).rejects.toMatchObject({ code: ErrorCode.NO_SUPPORT });
    await conn.close();
  });
});
