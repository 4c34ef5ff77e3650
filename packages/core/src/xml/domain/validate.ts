/**
 * libvirt's generic validation: checks that span elements or that libvirt performs after
 * post-parse (domain_validate.c). Drivers add their own through DomainXmlHooks.validate.
 */
import { validateChrSource } from './devices/chr-source.js';
import { rejectDuplicateControllers } from './postparse.js';
import type { DomainDef } from './types.js';
import { unsupported, xmlDetail, xmlError } from './util/errors.js';
import { validateDevices } from './validate-devices.js';
import { validateMemoryDeviceAddresses } from './validate-memory-devices.js';
import { validateHugepageNodes, validateMemoryDeviceNodes, validateNumatune } from './validate-numa.js';

export function validateGeneric(def: DomainDef): void {
  if (def.memory === 0) throw xmlError('Memory size must be specified via <memory> or in the <numa> configuration');
  if (def.maxMemory && def.maxMemory.size < def.memory) {
    throw xmlError('maximum memory size must be equal or greater than the actual memory size');
  }
  if (def.vcpu.count === 0) throw unsupported('Domain requires at least 1 vCPU');
  if (def.vcpu.current !== undefined && def.vcpu.current > def.vcpu.count) {
    throw unsupported('maximum vCPU count must not be less than current vCPU count');
  }
  validateNumatune(def);
  validateHugepageNodes(def);
  validateFirmwareFeatures(def);
  validateMemoryDeviceNodes(def);
  validateMemoryDeviceAddresses(def);
  validateDevices(def);
  const d = def.devices;

  for (const chr of [...d.serials, ...d.parallels, ...d.consoles]) validateChrSource(chr.source, false);
  for (const chr of d.channels) {
    // The driver names the socket of a virtio or xen channel when none is given.
    validateChrSource(chr.source, chr.target.type === 'virtio' || chr.target.type === 'xen');
  }
  for (const sc of d.smartcards) if (sc.source) validateChrSource(sc.source, false);
  for (const r of d.redirdevs) validateChrSource(r.source, false);
  for (const rng of d.rngs) if (rng.backend.source) validateChrSource(rng.backend.source, false);

  // Also checked at post-parse; definitions built without the parser meet it here.
  rejectDuplicateControllers(def);

  const targets = new Map<string, string>();
  for (const disk of d.disks) {
    const src = disk.source?.path ?? disk.source?.name ?? '';
    const prev = targets.get(disk.target.dev);
    if (prev !== undefined)
      throw xmlError(`target '${disk.target.dev}' duplicated for disk sources '${prev}' and '${src}'`);
    targets.set(disk.target.dev, src);
  }

  const seenFs = new Set<string>();
  for (const fs of d.filesystems) {
    if (seenFs.has(fs.target)) throw xmlError(`filesystem target '${fs.target}' specified twice`);
    seenFs.add(fs.target);
  }

  for (const g of d.graphics) {
    if (g.type === 'vnc' && g.websocket !== undefined && g.websocket < -1)
      throw xmlError(`invalid websocket port ${g.websocket}`);
  }
}

/**
 * When the firmware is picked automatically, asking for enrolled keys (there only to enforce
 * Secure Boot) while refusing Secure Boot has no answer.
 */
function validateFirmwareFeatures(def: DomainDef): void {
  if (def.os.firmware === undefined) return;
  const wanted = (name: string) => def.os.firmwareFeatures?.find((f) => f.name === name)?.enabled;
  if (wanted('secure-boot') === false && wanted('enrolled-keys') === true)
    throw xmlDetail(
      "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled",
    );
}
