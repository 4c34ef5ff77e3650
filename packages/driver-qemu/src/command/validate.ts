/** Checks libvirt makes before building a command line, with libvirt's wording. */

import type { DomainDef } from '@tsvirt/core';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';

export function unsupportedConfig(detail: string): VirError {
  return new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, domain: ErrorDomain.QEMU, detail });
}

export function validateForCommandLine(def: DomainDef, _caps: QemuCaps): void {
  const perDeviceBoot = [...def.devices.disks, ...def.devices.interfaces].some((d) => d.info.boot);
  if (perDeviceBoot && def.os.boot?.length)
    throw unsupportedConfig('per-device boot elements cannot be used together with os/boot elements');
  const timeout = def.os.bootmenu?.timeout;
  if (timeout !== undefined && (timeout < 0 || timeout > 65535))
    throw unsupportedConfig('invalid value for boot menu timeout, must be in range [0,65535]');
}
