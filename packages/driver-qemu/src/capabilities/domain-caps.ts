/**
 * The <domainCapabilities> document for one QEMU binary, accelerator and machine type, worked
 * out from QemuCaps the way libvirt does (virsh domcapabilities): limits, OS loader, CPU modes
 * and models, memory backing, the device enums and the domain features.
 *
 * Not modelled yet (left out rather than guessed): the host-model CPU's model, vendor and
 * features (they need libvirt's CPU map; the mode is reported bare), CPU vendors of custom
 * models, firmware descriptors, SEV/SGX details, GIC versions (ARM).
 */
import { existsSync } from 'node:fs';
import { ErrorCode, ErrorDomain, VirError, XmlWriter, xmlAttr } from '@tsvirt/core';
import { RETIRED_FLAGS } from './probe-tables.js';
import { findMachine, type QemuAccel, type QemuCaps } from './qemu-caps.js';

export interface QemuDomainCapsOptions {
  /** 'qemu' (TCG) or 'kvm'; the best the binary offers by default. */
  readonly virtType?: 'qemu' | 'kvm';
  /** Machine type or alias; the preferred (first) machine by default. */
  readonly machine?: string;
  /** Guest architecture; the binary's by default. */
  readonly arch?: string;
  /** Whether the host can pass PCI devices through VFIO (adds the pciBackend values). */
  readonly vfio?: boolean;
  /** Whether swtpm is installed (adds the emulator TPM backends). */
  readonly swtpm?: boolean;
}

/** A flag libvirt retired is one every supported QEMU has: it counts as present. */
function has(caps: QemuCaps, flag: string): boolean {
  return caps.flags.has(flag) || RETIRED_FLAGS.has(flag);
}

function invalidArg(detail: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.QEMU, detail });
}

const HOST_ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };

function enumeration(w: XmlWriter, name: string, values: readonly string[]): void {
  if (values.length === 0) {
    w.empty('enum', xmlAttr('name', name));
    return;
  }
  w.open('enum', xmlAttr('name', name));
  for (const v of values) w.text('value', v);
  w.close('enum');
}

function supported(w: XmlWriter, name: string, yes: boolean, body?: () => void): void {
  const attrs = xmlAttr('supported', yes ? 'yes' : 'no');
  if (!yes || !body) {
    w.empty(name, attrs);
    return;
  }
  w.open(name, attrs);
  body();
  w.close(name);
}

/** Machines with a built-in IDE controller (so 'ide' is a usable disk bus). */
function hasBuiltinIde(machine: string, arch: string): boolean {
  if (arch === 'x86_64' || arch === 'i686')
    return machine.startsWith('pc-i440fx') || machine === 'pc' || machine === 'isapc';
  if (arch === 'mips' || arch === 'mipsel' || arch === 'mips64' || arch === 'mips64el') return machine === 'malta';
  if (arch === 'sparc64') return machine === 'sun4u';
  if (arch === 'ppc') return machine === 'g3beige' || machine === 'mac99' || machine === 'prep';
  return false;
}

const only = (cond: boolean, ...values: string[]): string[] => (cond ? values : []);

export function formatQemuDomainCapabilities(caps: QemuCaps, options: QemuDomainCapsOptions = {}): string {
  const best: 'qemu' | 'kvm' = caps.flags.has('kvm') ? 'kvm' : 'qemu';
  const virtType = options.virtType ?? best;
  if (virtType === 'kvm' && !caps.flags.has('kvm')) {
    throw invalidArg(`the accel 'kvm' is not supported by '${caps.emulator}' on this host`);
  }
  const accel: QemuAccel = virtType === 'kvm' ? 'kvm' : 'tcg';
  const arch = options.arch ?? caps.arch;
  const machine = options.machine ? findMachine(caps, accel, options.machine) : caps.accels[accel].machines[0];
  if (!machine) {
    throw invalidArg(`the machine '${options.machine ?? ''}' is not supported by emulator '${caps.emulator}'`);
  }
  const models = caps.accels[accel].cpuModels;
  const usb = [
    'piix3-usb-uhci',
    'piix4-usb-uhci',
    'usb-ehci',
    'ich9-usb-ehci1',
    'vt82c686b-usb-uhci',
    'pci-ohci',
    'nec-usb-xhci',
    'qemu-xhci',
  ].some((f) => has(caps, f));
  const transitional = has(caps, 'virtio-pci-non-transitional');
  const pseries = machine.name.startsWith('pseries');

  const w = new XmlWriter();
  w.open('domainCapabilities');
  w.text('path', caps.emulator);
  w.text('domain', virtType);
  w.text('machine', machine.name);
  w.text('arch', arch);
  w.empty('vcpu', xmlAttr('max', machine.maxCpus));
  w.empty('iothreads', xmlAttr('supported', 'yes'));

  supported(w, 'os', true, () => {
    enumeration(w, 'firmware', []);
    supported(w, 'loader', true, () => {
      enumeration(w, 'type', ['rom', 'pflash']);
      enumeration(w, 'readonly', ['yes', 'no']);
      enumeration(w, 'secure', ['no']);
    });
  });

  w.open('cpu');
  const native =
    HOST_ARCH[process.arch] === caps.arch || (HOST_ARCH[process.arch] === 'x86_64' && caps.arch === 'i686');
  const passthrough = virtType === 'kvm' && native;
  if (passthrough) {
    w.open('mode', `${xmlAttr('name', 'host-passthrough')}${xmlAttr('supported', 'yes')}`);
    enumeration(w, 'hostPassthroughMigratable', [...only(has(caps, 'cpu.migratable'), 'on'), 'off']);
    w.close('mode');
  } else {
    w.empty('mode', `${xmlAttr('name', 'host-passthrough')}${xmlAttr('supported', 'no')}`);
  }
  const maximum = has(caps, 'cpu-max');
  if (maximum) {
    w.open('mode', `${xmlAttr('name', 'maximum')}${xmlAttr('supported', 'yes')}`);
    enumeration(w, 'maximumMigratable', ['on', 'off']);
    w.close('mode');
  } else {
    w.empty('mode', `${xmlAttr('name', 'maximum')}${xmlAttr('supported', 'no')}`);
  }
  // Whether QEMU can expand a host CPU model follows the probe; naming that model and its
  // features needs libvirt's CPU map, which tsvirt does not have yet, so the mode stays bare.
  w.empty('mode', `${xmlAttr('name', 'host-model')}${xmlAttr('supported', caps.accels[accel].hostCpu ? 'yes' : 'no')}`);
  // Versioned names, 'host' and QEMU's own max/base are not models a domain names.
  const custom = models.filter((m) => !/-v\d+$/.test(m.name) && !['host', 'max', 'base'].includes(m.name));
  if (custom.length > 0) {
    w.open('mode', `${xmlAttr('name', 'custom')}${xmlAttr('supported', 'yes')}`);
    for (const m of custom) {
      // The vendor comes from libvirt's CPU map, which tsvirt does not have: 'unknown', as libvirt
      // itself says for models its map gives no vendor.
      const deprecated = m.deprecated ? xmlAttr('deprecated', 'yes') : '';
      w.text('model', m.name, `${xmlAttr('usable', m.usable)}${deprecated}${xmlAttr('vendor', 'unknown')}`);
    }
    w.close('mode');
  } else {
    w.empty('mode', `${xmlAttr('name', 'custom')}${xmlAttr('supported', 'no')}`);
  }
  w.close('cpu');

  supported(w, 'memoryBacking', true, () => {
    enumeration(w, 'sourceType', ['file', 'anonymous', ...only(has(caps, 'memory-backend-memfd'), 'memfd')]);
  });

  w.open('devices');
  supported(w, 'disk', true, () => {
    enumeration(w, 'diskDevice', ['disk', 'cdrom', ...only(!pseries, 'floppy'), 'lun']);
    enumeration(w, 'bus', [
      ...only(hasBuiltinIde(machine.name, caps.arch), 'ide'),
      ...only(!pseries, 'fdc'),
      'scsi',
      'virtio',
      ...only(has(caps, 'usb-storage'), 'usb'),
      ...only(has(caps, 'ich9-ahci'), 'sata'),
    ]);
    enumeration(w, 'model', ['virtio', ...only(transitional, 'virtio-transitional', 'virtio-non-transitional')]);
  });
  supported(w, 'graphics', true, () => {
    enumeration(w, 'type', [
      ...only(has(caps, 'sdl'), 'sdl'),
      ...only(has(caps, 'vnc'), 'vnc'),
      ...only(has(caps, 'spice'), 'spice'),
      ...only(has(caps, 'egl-headless'), 'egl-headless'),
      ...only(has(caps, 'display-dbus'), 'dbus'),
    ]);
  });
  supported(w, 'video', true, () => {
    enumeration(w, 'modelType', [
      ...only(has(caps, 'VGA'), 'vga'),
      ...only(has(caps, 'cirrus-vga'), 'cirrus'),
      ...only(has(caps, 'vmware-svga'), 'vmvga'),
      ...only(has(caps, 'qxl'), 'qxl'),
      ...only(has(caps, 'virtio-gpu'), 'virtio'),
      'none',
      ...only(has(caps, 'bochs-display'), 'bochs'),
      ...only(has(caps, 'ramfb'), 'ramfb'),
    ]);
  });
  supported(w, 'hostdev', true, () => {
    enumeration(w, 'mode', ['subsystem']);
    enumeration(w, 'startupPolicy', ['default', 'mandatory', 'requisite', 'optional']);
    enumeration(w, 'subsysType', [...only(usb, 'usb'), 'pci', 'scsi']);
    enumeration(w, 'capsType', []);
    enumeration(w, 'pciBackend', only(options.vfio === true && has(caps, 'vfio-pci'), 'default', 'vfio'));
  });
  supported(w, 'rng', true, () => {
    const virtio = has(caps, 'virtio-rng');
    enumeration(w, 'model', [
      ...only(virtio, 'virtio'),
      ...only(virtio && transitional, 'virtio-transitional', 'virtio-non-transitional'),
    ]);
    enumeration(w, 'backendModel', [
      ...only(has(caps, 'rng-random'), 'random'),
      ...only(has(caps, 'rng-egd'), 'egd'),
      ...only(has(caps, 'rng-builtin'), 'builtin'),
    ]);
  });
  supported(w, 'filesystem', true, () => {
    enumeration(w, 'driverType', ['path', 'handle', ...only(has(caps, 'vhost-user-fs'), 'virtiofs')]);
  });
  const tpmModels = [
    ...only(has(caps, 'tpm-tis'), 'tpm-tis'),
    ...only(has(caps, 'tpm-crb'), 'tpm-crb'),
    ...only(has(caps, 'tpm-spapr'), 'tpm-spapr'),
    ...only(has(caps, 'spapr-tpm-proxy'), 'spapr-tpm-proxy'),
  ];
  const swtpm = options.swtpm ?? existsSync('/usr/bin/swtpm');
  supported(w, 'tpm', tpmModels.length > 0, () => {
    enumeration(w, 'model', tpmModels);
    enumeration(w, 'backendModel', [
      ...only(has(caps, 'tpm-passthrough'), 'passthrough'),
      ...only(swtpm && has(caps, 'tpm-emulator'), 'emulator'),
    ]);
  });
  supported(w, 'redirdev', has(caps, 'usb-redir'), () => enumeration(w, 'bus', ['usb']));
  supported(w, 'channel', true, () => enumeration(w, 'type', ['pty', 'unix', ...only(has(caps, 'spice'), 'spicevmc')]));
  w.close('devices');

  w.open('features');
  w.empty('gic', xmlAttr('supported', 'no'));
  w.empty('vmcoreinfo', xmlAttr('supported', has(caps, 'vmcoreinfo') ? 'yes' : 'no'));
  w.empty('genid', xmlAttr('supported', has(caps, 'vmgenid') ? 'yes' : 'no'));
  w.empty('backingStoreInput', xmlAttr('supported', 'yes'));
  w.empty('backup', xmlAttr('supported', has(caps, 'incremental-backup') ? 'yes' : 'no'));
  w.empty('sev', xmlAttr('supported', 'no'));
  w.empty('sgx', xmlAttr('supported', 'no'));
  supported(w, 'hyperv', caps.hyperv?.supported === true, () => enumeration(w, 'features', caps.hyperv?.caps ?? []));
  w.close('features');
  w.close('domainCapabilities');
  return w.out;
}
