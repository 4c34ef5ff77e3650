import {
  type BlockStatsParam,
  type DomainDef,
  type DomainHotplug,
  type DomainMonitorPassthrough,
  type DomainRef,
  type DomainSaveRestore,
  type DomainStats,
  ErrorCode,
  ErrorDomain,
  formatDeviceXml,
  formatDomainXml,
  ListDomainsFlags,
  VirError,
} from '@tsvirt/core';
import { typedParamBigint } from '../protocol/typed-params.js';
import type { ProcedureCaller, QemuCaller } from './remote-program.js';

const asXml = (def: DomainDef | undefined) =>
  def === undefined ? undefined : formatDomainXml(def, { inactive: true, secure: true });

/**
 * Save and restore over the wire. libvirt's restore answers nothing, so the client finds the
 * guest it started: the UUID of a replacement definition, or else the one domain that became
 * active during the call.
 */
export function remoteSaveRestore(c: ProcedureCaller): DomainSaveRestore {
  const activeUuids = async () =>
    new Set(
      (await c('CONNECT_LIST_ALL_DOMAINS', { needResults: 1, flags: ListDomainsFlags.ACTIVE })).items.map(
        (d) => d.uuid,
      ),
    );
  return {
    save: (dom, to, dxml, flags) => c('DOMAIN_SAVE_FLAGS', { dom, to, dxml: asXml(dxml), flags }),
    restore: async (from, dxml, flags) => {
      const before = dxml?.uuid ? undefined : await activeUuids();
      await c('DOMAIN_RESTORE_FLAGS', { from, dxml: asXml(dxml), flags });
      if (dxml?.uuid) return c('DOMAIN_LOOKUP_BY_UUID', dxml.uuid);
      const started = [...(await activeUuids())].filter((u) => !before!.has(u));
      if (started.length !== 1) {
        throw new VirError({
          code: ErrorCode.INTERNAL_ERROR,
          domain: ErrorDomain.REMOTE,
          detail: `the guest restored from '${from}' could not be identified (${started.length} domains started)`,
        });
      }
      return c('DOMAIN_LOOKUP_BY_UUID', started[0]!);
    },
    managedSave: (dom, flags) => c('DOMAIN_MANAGED_SAVE', { dom, flags }),
    managedSaveRemove: (dom, flags) => c('DOMAIN_MANAGED_SAVE_REMOVE', { dom, flags }),
  };
}

/** Device hot-plug: the parsed device goes back to XML for the server. */
export function remoteHotplug(c: ProcedureCaller): DomainHotplug {
  return {
    attachDevice: (dom, device, flags) => c('DOMAIN_ATTACH_DEVICE_FLAGS', { dom, xml: formatDeviceXml(device), flags }),
    detachDevice: (dom, device, flags) => c('DOMAIN_DETACH_DEVICE_FLAGS', { dom, xml: formatDeviceXml(device), flags }),
  };
}

/** Block and interface counters. */
export function remoteStats(c: ProcedureCaller): DomainStats {
  return {
    blockStats: (dom, path) => c('DOMAIN_BLOCK_STATS', { dom, path }),
    // As libvirt's client: ask how many figures there are, then ask for that many.
    blockStatsFlags: async (dom, path, flags): Promise<BlockStatsParam[]> => {
      const { nparams } = await c('DOMAIN_BLOCK_STATS_FLAGS', { dom, path, nparams: 0, flags });
      if (nparams <= 0) return [];
      const { params } = await c('DOMAIN_BLOCK_STATS_FLAGS', { dom, path, nparams, flags });
      return params.map((p) => ({ field: p.field, value: typedParamBigint(p) }));
    },
    interfaceStats: (dom, path) => c('DOMAIN_INTERFACE_STATS', { dom, path }),
  };
}

/** libvirt-qemu's monitor passthrough, on the qemu program of the same connection. */
export function remoteMonitor(q: QemuCaller): DomainMonitorPassthrough {
  return {
    command: (dom: DomainRef, cmd, flags) => q('DOMAIN_MONITOR_COMMAND', { dom, cmd, flags }),
  };
}
