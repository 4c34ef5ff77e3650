/** Server side of the IOThread procedures: each one call on the domain handle. */
import type { IOThreadProcedures } from '../protocol/iothread-procedures.js';
import type { ArgsOf, RetOf } from '../protocol/procedures.js';
import type { SessionApi } from './handlers.js';

type Table = typeof IOThreadProcedures;
type Run<K extends keyof Table> = (s: SessionApi, args: ArgsOf<Table[K]>) => Promise<RetOf<Table[K]>> | RetOf<Table[K]>;

const domain = (s: SessionApi, ref: { uuid: string }) => s.conn.lookupDomainByUuid(ref.uuid);

export const iothreadHandlers: { [K in keyof Table]: Run<K> } = {
  DOMAIN_GET_IOTHREAD_INFO: async (s, a) => {
    const info = await (await domain(s, a.dom)).getIOThreadInfo(a.flags);
    return { info, ret: info.length };
  },
  DOMAIN_PIN_IOTHREAD: async (s, a) => (await domain(s, a.dom)).pinIOThread(a.iothreadsId, a.cpumap, a.flags),
  DOMAIN_ADD_IOTHREAD: async (s, a) => (await domain(s, a.dom)).addIOThread(a.iothreadId, a.flags),
  DOMAIN_DEL_IOTHREAD: async (s, a) => (await domain(s, a.dom)).delIOThread(a.iothreadId, a.flags),
  DOMAIN_SET_IOTHREAD_PARAMS: async (s, a) =>
    (await domain(s, a.dom)).setIOThreadParams(a.iothreadId, a.params, a.flags),
};
