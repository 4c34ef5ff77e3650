/**
 * The real modules behind the driver: capabilities probed over QMP and cached on disk (and in
 * memory while the binary's ctime is unchanged), the qemu post-parse and address assignment,
 * libvirt's command line, and the QMP client.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkFlags,
  type DomainDef,
  ErrorCode,
  ErrorDomain,
  formatDomainXml,
  parseDomainXml,
  VirError,
} from '@tsvirt/core';
import { QemuCapsCache } from '../capabilities/cache.js';
import { formatQemuDomainCapabilities } from '../capabilities/domain-caps.js';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { buildQemuCommandLine } from '../command/build.js';
import { formatNativeArgv } from '../command/command-line.js';
import { needsManagedPrHelper } from '../command/disks.js';
import type { QemuDriverConfig } from '../domain/config.js';
import { qemuNamespace } from '../domain/namespace.js';
import { parseQemuDomainXml } from '../domain/prepare.js';
import { DEFAULT_EMULATOR, type QemuBackends } from './backends.js';
import { qemuHostCapabilities } from './host-capabilities.js';
import { domainLibDir, type QemuPaths } from './paths.js';
import { connectQmp } from './qmp-adapter.js';

const HOOKS = { namespace: qemuNamespace };

export function defaultBackends(paths: QemuPaths, config: QemuDriverConfig = {}): QemuBackends {
  const cache = new QemuCapsCache({ cacheDir: join(paths.cacheDir, 'capabilities') });
  const known = new Map<string, { ctimeMs: number; caps: QemuCaps }>();

  async function capsFor(emulator: string): Promise<QemuCaps> {
    const ctimeMs = await stat(emulator).then(
      (s) => s.ctimeMs,
      () => -1,
    );
    const hit = known.get(emulator);
    if (hit && hit.ctimeMs === ctimeMs) return hit.caps;
    const caps = await cache.lookup(emulator);
    known.set(emulator, { ctimeMs, caps });
    return caps;
  }

  return {
    capsFor,
    // Core parsed the XML generically; parsing its canonical form again with the qemu hooks
    // applies libvirt's qemu post-parse in libvirt's order.
    prepare: (def: DomainDef, caps: QemuCaps) =>
      parseQemuDomainXml(formatDomainXml(def, { secure: true, hooks: HOOKS }), caps, {
        config: { ...config, libDir: paths.libDir },
      }),
    buildCommandLine(def, caps, ctx) {
      // The command line names the managed helper's socket, but nothing here runs the helper:
      // refuse before QEMU would fail to connect to it.
      if (needsManagedPrHelper(def)) {
        throw new VirError({
          code: ErrorCode.CONFIG_UNSUPPORTED,
          domain: ErrorDomain.QEMU,
          detail: 'managed persistent reservations (qemu-pr-helper) are not supported by this driver yet',
        });
      }
      const cmd = buildQemuCommandLine(def, caps, {
        domainId: ctx.id,
        libDir: ctx.libDir,
        stateDir: paths.stateDir,
        monitor: { path: ctx.monitorPath },
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      return { binary: cmd.binary, args: cmd.args, env: Object.fromEntries(cmd.env) };
    },
    connectMonitor: connectQmp,
    async hostCapabilities() {
      return qemuHostCapabilities([await capsFor(DEFAULT_EMULATOR)]);
    },
    async nativeArgv(xml) {
      // As libvirt: parse as a new definition, then build as if starting it with id -1.
      const generic = parseDomainXml(xml, { hooks: HOOKS });
      const caps = await capsFor(generic.devices.emulator ?? DEFAULT_EMULATOR);
      const def = parseQemuDomainXml(xml, caps, { config: { ...config, libDir: paths.libDir } });
      const libDir = domainLibDir(paths, -1, def.name);
      const cmd = buildQemuCommandLine(def, caps, {
        domainId: -1,
        libDir,
        stateDir: paths.stateDir,
        monitor: { path: join(libDir, 'monitor.sock') },
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      return formatNativeArgv(cmd);
    },
    async domainCapabilities(query, flags) {
      checkFlags(flags, 0, 'qemuConnectGetDomainCapabilities', ErrorDomain.QEMU);
      const caps = await capsFor(query.emulator ?? DEFAULT_EMULATOR);
      if (query.virtType !== undefined && query.virtType !== 'qemu' && query.virtType !== 'kvm') {
        throw new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.QEMU,
          detail: `unknown virttype: ${query.virtType}`,
        });
      }
      return formatQemuDomainCapabilities(caps, {
        ...(query.virtType ? { virtType: query.virtType as 'qemu' | 'kvm' } : {}),
        ...(query.machine ? { machine: query.machine } : {}),
        ...(query.arch ? { arch: query.arch } : {}),
      });
    },
    domainXmlHooks: HOOKS,
  };
}
