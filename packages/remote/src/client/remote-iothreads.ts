/** The client side of the IOThread calls. */
import type { DomainIOThreads } from '@tsvirt/core';
import type { ProcedureCaller } from './remote-program.js';

export function remoteIOThreads(c: ProcedureCaller): DomainIOThreads {
  return {
    getIOThreadInfo: async (dom, flags) => (await c('DOMAIN_GET_IOTHREAD_INFO', { dom, flags })).info,
    pinIOThread: (dom, iothreadsId, cpumap, flags) => c('DOMAIN_PIN_IOTHREAD', { dom, iothreadsId, cpumap, flags }),
    addIOThread: (dom, iothreadId, flags) => c('DOMAIN_ADD_IOTHREAD', { dom, iothreadId, flags }),
    delIOThread: (dom, iothreadId, flags) => c('DOMAIN_DEL_IOTHREAD', { dom, iothreadId, flags }),
    setIOThreadParams: (dom, iothreadId, params, flags) =>
      c('DOMAIN_SET_IOTHREAD_PARAMS', { dom, iothreadId, params: [...params], flags }),
  };
}
