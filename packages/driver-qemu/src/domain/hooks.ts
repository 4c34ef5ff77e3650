/**
 * The qemu driver's DomainXmlHooks: what libvirt's qemu driver adds after the generic domain
 * parser (defaults from the QEMU capabilities, implicit devices, addresses, checks).
 */
import type { DomainDef, DomainParseFlags, DomainXmlHooks } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import { assignQemuAddresses } from './addresses.js';
import type { QemuDriverConfig } from './config.js';
import { qemuDeviceDefaults } from './device-defaults.js';
import { qemuNamespace } from './namespace.js';
import { qemuDomainPostParse } from './postparse.js';
import { qemuValidate } from './validate.js';

export function qemuDomainXmlHooks(caps: QemuCaps, config: QemuDriverConfig = {}): DomainXmlHooks {
  return {
    namespace: qemuNamespace as DomainXmlHooks['namespace'],
    postParse(def: DomainDef, flags: DomainParseFlags) {
      qemuDomainPostParse(def, caps, config, flags);
    },
    assignAddresses(def: DomainDef, flags: DomainParseFlags) {
      // Device defaults run here so the controllers core adds for disks get them too.
      qemuDeviceDefaults(def, caps, flags);
      assignQemuAddresses(def, caps);
    },
    validate(def: DomainDef, _flags: DomainParseFlags) {
      qemuValidate(def, caps, config);
    },
  };
}
