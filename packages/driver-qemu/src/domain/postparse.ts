/**
 * The qemu driver's domain-level post-parse (libvirt's qemuDomainDefPostParse): the default
 * emulator and machine, the devices every machine of that type has, and the guest CPU the
 * machine gives when none is asked for.
 */
import type { DomainDef, InputDef } from '@tsvirt/core';
import { defaultMachine, hasFlag, type QemuCaps } from '../capabilities/qemu-caps.js';
import type { QemuDriverConfig } from './config.js';
import { appendRaw, element, findController, maybeAddController, rawDevices } from './devices-util.js';
import { qemuConfigError, qemuXmlError } from './errors.js';
import { loadFirmwareDescriptors } from './firmware/descriptor.js';
import { DEFAULT_LEGACY_FIRMWARE, type FirmwareSettings, fillFirmwareLeniently } from './firmware/select.js';
import { assignScsiHostdevAddresses } from './hostdev-scsi.js';
import { accelOf, isI440fx, isPcLess, isQ35, isX86, machineDefaultCpu } from './machine.js';

/** QEMU needs an IOMMU with x2APIC beyond this many vCPUs on x86. */
const MAX_VCPUS_WITHOUT_X2APIC = 255;

export function qemuDomainPostParse(def: DomainDef, caps: QemuCaps, config: QemuDriverConfig): void {
  def.devices.emulator ??= caps.emulator;
  if (!def.os.machine) {
    const m = defaultMachine(caps, accelOf(def));
    if (!m) throw qemuConfigError(`could not get preferred machine for ${caps.emulator} type=${def.type}`);
    def.os.machine = m.alias ?? m.name;
  }
  if (def.os.type === 'hvm') fillFirmwareLeniently(def, firmwareSettings(config));
  addDefaultDevices(def, caps, config);
  assignScsiHostdevAddresses(def);
  addImplicitVideo(def);
  setDefaultCpu(def, caps);
  cpuPostParse(def, caps);
}

/** A guest with a display but no video card gets the default one (kept for old configs). */
function addImplicitVideo(def: DomainDef): void {
  if (def.devices.graphics.length === 0 || def.devices.videos.length > 0) return;
  def.devices.videos.push({ type: 'default', info: {} });
}

const descriptorCache = new WeakMap<QemuDriverConfig, FirmwareSettings>();

function firmwareSettings(config: QemuDriverConfig): FirmwareSettings {
  let s = descriptorCache.get(config);
  if (!s) {
    s = {
      descriptors: loadFirmwareDescriptors(config.firmwareDirs ?? []),
      legacyPairs: config.nvram ?? DEFAULT_LEGACY_FIRMWARE,
      nvramDir: config.nvramDir ?? '/var/lib/libvirt/qemu/nvram',
    };
    descriptorCache.set(config, s);
  }
  return s;
}

function supportsI8042(def: DomainDef, caps: QemuCaps): boolean {
  // Every PC machine has the PS/2 controller except microvm.
  return hasFlag(caps, 'i8042') && isX86(def) && def.os.machine !== 'microvm';
}

function maybeAddInput(def: DomainDef, type: InputDef['type'], bus: InputDef['bus']): void {
  if (def.devices.inputs.some((i) => i.type === type && i.bus === bus)) return;
  def.devices.inputs.push({ type, bus, info: {} });
}

function addDefaultDevices(def: DomainDef, caps: QemuCaps, config: QemuDriverConfig): void {
  if (supportsI8042(def, caps) && def.features?.ps2?.on !== false) {
    maybeAddInput(def, 'mouse', 'ps2');
    maybeAddInput(def, 'keyboard', 'ps2');
  }
  const x86Pc = isX86(def) && !isPcLess(def);
  const q35 = isQ35(def);
  if (x86Pc) {
    if (!findController(def, 'usb', 0)) {
      const model = q35 ? defaultQ35UsbModel(caps) : 'piix3-uhci';
      if (model) maybeAddController(def, 'usb', 0, model);
    }
    if (q35) maybeAddController(def, 'sata', 0);
    const root = findController(def, 'pci', 0);
    const want = q35 ? 'pcie-root' : isI440fx(def) ? 'pci-root' : undefined;
    if (want) {
      if (root && root.model !== want)
        throw qemuXmlError(
          `The PCI controller with index='0' must be model='${want}' for this machine type, but model='${root.model}' was found instead`,
        );
      if (!root) maybeAddController(def, 'pci', 0, want);
    }
    def.devices.memballoon ??= { model: 'virtio', info: {} };
    if (q35) addItcoWatchdog(def);
    if (q35 && def.vcpu.count > MAX_VCPUS_WITHOUT_X2APIC) addIntelIommu(def, caps);
  }
  addDefaultAudio(def, config);
}

function defaultQ35UsbModel(caps: QemuCaps): string | undefined {
  if (hasFlag(caps, 'qemu-xhci')) return 'qemu-xhci';
  if (hasFlag(caps, 'nec-usb-xhci')) return 'nec-xhci';
  if (hasFlag(caps, 'ich9-usb-ehci1')) return 'ich9-ehci1';
  return undefined;
}

/** q35 always has the ICH9's iTCO watchdog; it takes the action of the first configured one. */
function addItcoWatchdog(def: DomainDef): void {
  const dogs = rawDevices(def, 'watchdog');
  if (dogs.some((w) => w.attrs.model === 'itco')) return;
  const action = dogs[0]?.attrs.action ?? 'reset';
  appendRaw(def, 'watchdog', element('watchdog', { model: 'itco', action }));
}

function addIntelIommu(def: DomainDef, caps: QemuCaps): void {
  if (rawDevices(def, 'iommu').length) return;
  if (!['intel-iommu', 'intel-iommu.intremap', 'intel-iommu.eim'].every((f) => hasFlag(caps, f))) return;
  appendRaw(def, 'iommu', element('iommu', { model: 'intel' }, [element('driver', { intremap: 'on', eim: 'on' })]));
}

/**
 * Guests get an <audio> backend matching their display: SPICE's own, none for VNC (unless
 * qemu.conf lets VNC use the host's), the host's for SDL; none at all for displays with no audio.
 */
function addDefaultAudio(def: DomainDef, config: QemuDriverConfig): void {
  if (rawDevices(def, 'audio').length) return;
  let add = false;
  let passthrough = false;
  let type = 'none';
  for (const g of def.devices.graphics) {
    switch (g.type) {
      case 'vnc':
        add = true;
        passthrough = config.vncAllowHostAudio === true;
        type = 'none';
        break;
      case 'spice':
        add = true;
        passthrough = false;
        type = 'spice';
        break;
      case 'sdl':
        add = true;
        passthrough = true;
        break;
      default:
        break;
    }
  }
  if (def.devices.graphics.length === 0) {
    add = true;
    passthrough = config.nogfxAllowHostAudio === true;
  }
  if (!add) return;
  const attrs: Record<string, string> = { id: '1', type };
  if (passthrough) {
    const drv = config.env?.QEMU_AUDIO_DRV;
    if (drv === undefined) return;
    attrs.type = drv;
    const sdlDriver = config.env?.SDL_AUDIODRIVER;
    if (drv === 'sdl' && sdlDriver) attrs.driver = sdlDriver;
  }
  appendRaw(def, 'audio', element('audio', attrs));
}

/** A guest without a CPU model runs the machine's default one (qemu64 on PC machines). */
function setDefaultCpu(def: DomainDef, caps: QemuCaps): void {
  if (def.cpu && (def.cpu.mode !== 'custom' || def.cpu.model?.name)) return;
  if (!isX86(def)) return;
  const model = machineDefaultCpu(caps, def);
  if (!model) return;
  if (model === 'host') {
    if (def.type !== 'kvm')
      throw qemuConfigError('QEMU reports invalid default CPU model "host" for non-kvm domain virt type');
    def.cpu ??= { mode: 'host-passthrough', features: [] };
    def.cpu.mode = 'host-passthrough';
    return;
  }
  def.cpu ??= { mode: 'custom', features: [] };
  def.cpu.mode = 'custom';
  def.cpu.check = 'none';
  def.cpu.match = 'exact';
  def.cpu.model = { ...def.cpu.model, name: model, fallback: 'forbid' };
}

function cpuPostParse(def: DomainDef, caps: QemuCaps): void {
  const cpu = def.cpu;
  if (!cpu) return;
  if ((def.id ?? -1) === -1 && cpu.mode === 'host-passthrough' && cpu.migratable === undefined) {
    if (hasFlag(caps, 'cpu.migratable')) cpu.migratable = true;
    else if (isX86(def)) cpu.migratable = false;
  }
  if (cpu.mode === 'custom' && !cpu.model?.name) return;
  if (cpu.check !== undefined) return;
  switch (cpu.mode) {
    case 'host-passthrough':
    case 'maximum':
      cpu.check = 'none';
      break;
    case 'host-model':
      cpu.check = 'partial';
      break;
    case 'custom':
      cpu.check = def.type === 'qemu' ? 'none' : 'partial';
      break;
    default:
      break;
  }
}
