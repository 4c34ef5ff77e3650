/**
 * Entry points for the rest of the driver (command line, define, start): a definition the
 * qemu driver can run, with libvirt's qemu defaults and addresses filled in.
 */
import {
  type DomainDef,
  type DomainParseFlags,
  type ParseDomainOptions,
  parseDomainXml,
  validateDomainDef,
} from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import type { QemuDriverConfig } from './config.js';
import { qemuDomainXmlHooks } from './hooks.js';

export interface QemuDomainOptions {
  config?: QemuDriverConfig;
  flags?: DomainParseFlags;
  /** Passed to the generic parser (default architecture, random source for UUIDs and MACs). */
  defaultArch?: string;
  randomBytes?: ParseDomainOptions['randomBytes'];
}

/**
 * Parse domain XML as the qemu driver does: generic parse, qemu post-parse, the generic
 * implicit devices, device defaults, PCI and virtio-serial addresses, then validation. This is
 * the exact libvirt order; prefer it over prepareQemuDomain when you have the XML.
 */
export function parseQemuDomainXml(xml: string, caps: QemuCaps, options: QemuDomainOptions = {}): DomainDef {
  return parseDomainXml(xml, {
    hooks: qemuDomainXmlHooks(caps, options.config),
    flags: options.flags ?? { inactive: true },
    defaultArch: options.defaultArch ?? caps.arch,
    randomBytes: options.randomBytes,
  });
}

/**
 * Prepare a definition parsed without the qemu hooks (post-parse, device defaults, addresses,
 * validation), in place. Controllers core added for disks then precede the qemu defaults in the
 * list, which can change which PCI slot an auto-placed controller gets; parseQemuDomainXml
 * has none of that difference.
 */
export function prepareQemuDomain(def: DomainDef, caps: QemuCaps, options: QemuDomainOptions = {}): DomainDef {
  const hooks = qemuDomainXmlHooks(caps, options.config);
  const flags = options.flags ?? { inactive: true };
  hooks.postParse?.(def, flags);
  hooks.assignAddresses?.(def, flags);
  validateDomainDef(def, { hooks, flags });
  return def;
}
