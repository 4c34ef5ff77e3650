import { describe, expect, it } from 'vitest';
import { connect } from '../../src/api/connect.js';
import { CONTRACT_VERSION, type DriverConnection, type DriverDescriptor } from '../../src/contract/driver.js';
import { ErrorCode } from '../../src/errors/codes.js';

/** A driver whose connection can "drop": it calls the registered close callbacks when told to. */
function droppingDriver(withCallback: boolean) {
  const listeners = new Set<(reason: number, error: Error) => void>();
  let alive = true;
  const conn: DriverConnection = {
    hypervisor: {
      getType: () => 'FAKE',
      getVersion: async () => 1,
      getCapabilities: async () => ({ host: { arch: 'x86_64' }, guests: [] }) as never,
      listDomains: async () => [],
      lookupDomain: async () => ({}) as never,
      getDomainXml: async () => ({}) as never,
    },
    isAlive: () => alive,
    ...(withCallback
      ? {
          registerCloseCallback: (l: (reason: number, error: Error) => void) => {
            listeners.add(l);
            return () => listeners.delete(l);
          },
        }
      : {}),
    close: async () => {},
  };
  const descriptor: DriverDescriptor = {
    contractVersion: CONTRACT_VERSION,
    name: 'fake',
    uriSchemes: ['fake'],
    open: async () => conn,
  };
  const drop = (reason: number) => {
    alive = false;
    for (const l of listeners) l(reason, new Error('gone'));
  };
  return { descriptor, drop };
}

describe('Connection.onClose (virConnectRegisterCloseCallback)', () => {
  it('passes the reason and error from the driver; isAlive follows the driver; unsubscribing works', async () => {
    const { descriptor, drop } = droppingDriver(true);
    const c = await connect('fake:///', { drivers: [descriptor] });
    const seen: Array<[number, string]> = [];
    c.onClose((reason, error) => seen.push([reason, error.message]));
    const off = c.onClose(() => seen.push([-1, 'unsubscribed listener ran']));
    off();
    expect(c.isAlive()).toBe(true);
    drop(2);
    expect(seen).toEqual([[2, 'gone']]);
    expect(c.isAlive()).toBe(false);
    await c.close();
  });

  it('is VIR_ERR_NO_SUPPORT for drivers without a connection to lose', async () => {
    const { descriptor } = droppingDriver(false);
    const c = await connect('fake:///', { drivers: [descriptor] });
    expect(() => c.onClose(() => {})).toThrow(expect.objectContaining({ code: ErrorCode.NO_SUPPORT }));
    await c.close();
  });
});
