/** Domain XML: typed model, parse, validate and format in libvirt's canonical form. */

export type { ClockDef, ClockTimer } from './clock.js';
export type { CpuDef } from './cpu.js';
export type { CacheAlloc, CacheTune, CpuTune, MemoryTune, Sched } from './cputune.js';
export { type DeviceDef, formatDeviceXml, parseDeviceXml } from './device.js';
export type { ChrDevice, ChrTarget } from './devices/chardev.js';
export { CHR_TYPES, type ChrSource } from './devices/chr-source.js';
export { CONTROLLER_TYPES, type ControllerDef } from './devices/controller.js';
export { DISK_BUSES, DISK_DEVICES, DISK_TYPES, type DiskDef, type DiskSource } from './devices/disk.js';
export type { FilesystemDef } from './devices/filesystem.js';
export { GRAPHICS_TYPES, type GraphicsDef, type GraphicsListen, LISTEN_TYPES } from './devices/graphics.js';
export { type DomainDevices, emptyDevices, RAW_DEVICE_KINDS, type RawDeviceKind } from './devices/index.js';
export type { DeviceAddress, DeviceInfo } from './devices/info.js';
export { INPUT_BUSES, INPUT_TYPES, type InputDef } from './devices/input.js';
export { type InterfaceDef, isGeneratedIfname, type MacAddress, NET_TYPES, parseMac } from './devices/interface.js';
export type { IothreadMapping } from './devices/iothread-mapping.js';
export type { MemballoonDef } from './devices/memballoon.js';
export type { RedirdevDef } from './devices/redirdev.js';
export type { RngDef } from './devices/rng.js';
export type { SmartcardDef } from './devices/smartcard.js';
export type { SoundDef } from './devices/sound.js';
export { VIDEO_TYPES, type VideoDef } from './devices/video.js';
export { type DomainFeatures, FEATURE_NAMES, type FeatureName, type FeatureState } from './features.js';
export { type FormatDomainOptions, formatDomainXml } from './format.js';
export { type DomainMetadata, generateUuid, parseUuid } from './general.js';
export type { DomainNamespaceHandler, DomainParseFlags, DomainXmlHooks } from './hooks.js';
export { CRASH_ACTIONS, LIFECYCLE_ACTIONS, type Lifecycle } from './lifecycle.js';
export type { HugePage, MaxMemory, MemoryBacking, MemTune } from './memory.js';
export { DomainMetadataType, getDomainMetadata, setDomainMetadata } from './metadata-edit.js';
export type { NumaCache, NumaCell, NumaInterconnect } from './numa.js';
export { numaCellInitiator, numaHasHmat } from './numa.js';
export { ARCHES, BOOT_DEVICES, type BootDevice, OS_TYPES, type OsConfig, type OsType } from './os.js';
export { hostArch, type ParseDomainOptions, parseDomainElement, parseDomainXml } from './parse.js';
export type { LaunchSecurity, Seclabel } from './security.js';
export { SMBIOS_FIELDS, type Sysinfo } from './sysinfo.js';
export type { ThrottleGroup } from './throttle.js';
export {
  type BlkioDevice,
  type BlkioTune,
  NUMATUNE_MODES,
  type NumaTune,
  type NumatuneMode,
  type ResourceDef,
} from './tuning.js';
export { DOMAIN_TYPES, type DomainDef, type DomainType } from './types.js';
export { formatBitmap, parseBitmap } from './util/bitmap.js';
export { validateDomainDef } from './validate-api.js';
export type { IOThreadId, VcpuConfig, VcpuState } from './vcpu.js';
