/** <disk>: storage attached to the guest, with its source, driver and target. */
import { ErrorCode } from '../../../errors/codes.js';
import { a, onoff, type XmlWriter, yn } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { domainError, unsupported, xmlError } from '../util/errors.js';
import {
  children,
  childString,
  elementsOf,
  enumAttr,
  firstChild,
  onOffAttr,
  textOf,
  uintAttr,
  type XmlElement,
  yesNoAttr,
} from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';
import { formatIothreadMapping, type IothreadMapping, parseIothreadMapping } from './iothread-mapping.js';

export const DISK_TYPES = ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'] as const;
export type DiskType = (typeof DISK_TYPES)[number];
export const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'] as const;
export type DiskDevice = (typeof DISK_DEVICES)[number];
export const DISK_BUSES = ['ide', 'fdc', 'scsi', 'virtio', 'xen', 'usb', 'uml', 'sata', 'sd', 'none'] as const;
export type DiskBus = (typeof DISK_BUSES)[number];
export const DISK_PROTOCOLS = [
  'nbd',
  'rbd',
  'sheepdog',
  'gluster',
  'iscsi',
  'http',
  'https',
  'ftp',
  'ftps',
  'tftp',
  'ssh',
  'vxhs',
  'nfs',
] as const;
export const STARTUP_POLICIES = ['default', 'mandatory', 'requisite', 'optional'] as const;
export const TRAY_STATES = ['closed', 'open'] as const;

/** <driver> attributes in the order libvirt writes them. */
export const DISK_DRIVER_ATTRS = [
  'name',
  'type',
  'cache',
  'error_policy',
  'rerror_policy',
  'io',
  'ioeventfd',
  'event_idx',
  'copy_on_read',
  'discard',
  'iothread',
  'detect_zeroes',
  'discard_no_unref',
  'queues',
  'queue_size',
  'iommu',
  'ats',
  'packed',
  'page_per_vq',
] as const;
/** <iotune> children in the order libvirt writes them. */
export const IOTUNE_FIELDS = [
  'total_bytes_sec',
  'read_bytes_sec',
  'write_bytes_sec',
  'total_iops_sec',
  'read_iops_sec',
  'write_iops_sec',
  'total_bytes_sec_max',
  'read_bytes_sec_max',
  'write_bytes_sec_max',
  'total_iops_sec_max',
  'read_iops_sec_max',
  'write_iops_sec_max',
  'size_iops_sec',
  'group_name',
  'total_bytes_sec_max_length',
  'read_bytes_sec_max_length',
  'write_bytes_sec_max_length',
  'total_iops_sec_max_length',
  'read_iops_sec_max_length',
  'write_iops_sec_max_length',
] as const;

export interface DiskHost {
  name?: string;
  port?: number;
  transport?: string;
  socket?: string;
}

export interface DiskSource {
  /** file, block (dev), dir. */
  path?: string;
  protocol?: (typeof DISK_PROTOCOLS)[number];
  name?: string;
  tls?: boolean;
  hosts?: DiskHost[];
  pool?: string;
  volume?: string;
  mode?: string;
  startupPolicy?: (typeof STARTUP_POLICIES)[number];
  index?: number;
  ssl?: { verify: boolean };
  cookies?: Array<{ name: string; value: string }>;
  /** Bytes. */
  readahead?: number;
  /** Seconds. */
  timeout?: number;
  /** network: URL query string (http/https). */
  query?: string;
  /** network: TLS certificate host name to check (nbd). */
  tlsHostname?: string;
  /** file: the name of a group of passed file descriptors (fdgroup). */
  fdgroup?: string;
  /** Source attributes of the less common types (nvme, vhostuser, vhostvdpa). */
  attrs?: Record<string, string>;
  /** Other children (auth, snapshot, config, initiator, reservations, seclabel, nvme address...), kept as written. */
  extra?: XmlElement[];
}

export interface DiskDef {
  type: DiskType;
  device: DiskDevice;
  model?: string;
  rawio?: boolean;
  sgio?: string;
  snapshot?: string;
  /** <driver> attributes by name. */
  driver?: Partial<Record<string, string>>;
  /** <driver><iothreads>: IOThreads serving the disk's queues. */
  iothreadMapping?: IothreadMapping[];
  source?: DiskSource;
  backenddomain?: string;
  geometry?: { cyls: number; heads: number; secs: number; trans?: string };
  blockio?: { logicalBlockSize?: number; physicalBlockSize?: number; discardGranularity?: number };
  target: {
    dev: string;
    bus: DiskBus;
    tray?: (typeof TRAY_STATES)[number];
    removable?: boolean;
    rotationRate?: number;
  };
  iotune?: Partial<Record<(typeof IOTUNE_FIELDS)[number], string>>;
  /** <throttlefilters>: the <throttlegroups> the disk's I/O passes through, in order. */
  throttleFilters?: string[];
  readonly?: boolean;
  shareable?: boolean;
  transient?: boolean;
  serial?: string;
  wwn?: string;
  vendor?: string;
  product?: string;
  /** <auth> written at disk level (the older place), kept as written. */
  auth?: XmlElement;
  /** <backingStore> chain, kept as written. */
  backingStore?: XmlElement;
  /** <encryption>, kept as written; `encryptionInSource` when it was inside <source>. */
  encryption?: XmlElement;
  encryptionInSource?: boolean;
  info: DeviceInfo;
}

const SOURCE_KNOWN = new Set(['host', 'ssl', 'cookies', 'readahead', 'timeout', 'encryption']);

/** Bus implied by a target name, as libvirt guesses it ("hda" → ide, "vdb" → virtio, ...). */
export function busFromTarget(dst: string, device: DiskDevice): DiskBus {
  if (device === 'floppy') return 'fdc';
  if (dst.startsWith('hd')) return 'ide';
  if (dst.startsWith('sd')) return 'scsi';
  if (dst.startsWith('vd')) return 'virtio';
  if (dst.startsWith('xvd')) return 'xen';
  if (dst.startsWith('ubd')) return 'uml';
  if (dst.startsWith('fd')) return 'fdc';
  return 'ide';
}

/** "sda" → 0, "hdc" → 2, "vdaa" → 26: the index libvirt derives from a disk target name. */
export function diskNameToIndex(dst: string): number {
  // Trailing digits (a partition number) do not change the index; libvirt's index is a C int.
  const m = /^(?:fd|hd|vd|sd|xvd|ubd)([a-z]+)[0-9]*$/.exec(dst);
  if (!m) return -1;
  let idx = 0;
  for (const ch of m[1]!) {
    idx = idx * 26 + (ch.charCodeAt(0) - 96);
    if (idx - 1 > 0x7fffffff) return -1;
  }
  return idx - 1;
}

/**
 * A device <seclabel> with neither a label nor a relabel choice says nothing a definition keeps
 * (labelskip is live-only state), so libvirt leaves it out of a persistent definition.
 */
function isUnsetDeviceSeclabel(e: XmlElement): boolean {
  return e.name === 'seclabel' && childString(e, 'label') === undefined && e.attrs.relabel === undefined;
}

/** A <source> element of the given storage type (also used by <os><nvram>). */
export function parseSource(el: XmlElement, type: DiskType): DiskSource {
  const s: DiskSource = {};
  switch (type) {
    case 'file':
      s.path = el.attrs.file;
      s.fdgroup = el.attrs.fdgroup;
      break;
    case 'block':
      s.path = el.attrs.dev;
      break;
    case 'dir':
      s.path = el.attrs.dir;
      break;
    case 'network': {
      const proto = el.attrs.protocol;
      if (proto === undefined) throw xmlError('missing network source protocol type');
      if (!(DISK_PROTOCOLS as readonly string[]).includes(proto)) throw unsupported(`unknown protocol type '${proto}'`);
      s.protocol = proto as DiskSource['protocol'];
      s.name = el.attrs.name;
      // An iSCSI target without a LUN means LUN 0.
      if (proto === 'iscsi' && s.name !== undefined && !s.name.includes('/')) s.name = `${s.name}/0`;
      s.query = el.attrs.query;
      s.tls = yesNoAttr(el, 'tls');
      s.tlsHostname = el.attrs.tlsHostname;
      const defaultPort = NETWORK_DEFAULT_PORTS[proto];
      s.hosts = children(el, 'host').map((h) => {
        const transport = h.attrs.transport;
        const port =
          uintAttr(h, 'port') ?? (transport === 'unix' || h.attrs.name === undefined ? undefined : defaultPort);
        return { name: h.attrs.name, port, transport, socket: h.attrs.socket };
      });
      break;
    }
    case 'volume':
      s.pool = el.attrs.pool;
      s.volume = el.attrs.volume;
      s.mode = el.attrs.mode;
      break;
    default:
      // nvme, vhostuser, vhostvdpa: kept as written.
      if (Object.keys(el.attrs).length) s.attrs = { ...el.attrs };
      break;
  }
  s.startupPolicy = enumAttr(el, 'startupPolicy', STARTUP_POLICIES);
  const ssl = firstChild(el, 'ssl');
  if (ssl) {
    const verify = yesNoAttr(ssl, 'verify');
    if (verify !== undefined) s.ssl = { verify };
  }
  const cookies = firstChild(el, 'cookies');
  if (cookies) {
    s.cookies = children(cookies, 'cookie').map((c) => {
      const name = c.attrs.name;
      if (!name) throw xmlError('missing cookie name');
      return { name, value: textOf(c) };
    });
  }
  const ra = firstChild(el, 'readahead');
  if (ra) s.readahead = uintAttr(ra, 'size');
  const to = firstChild(el, 'timeout');
  if (to) s.timeout = uintAttr(to, 'seconds');
  const extra = elementsOf(el).filter((c) => !SOURCE_KNOWN.has(c.name));
  if (extra.length) s.extra = extra;
  return s;
}

/** Ports libvirt assumes for a network disk host given without one. */
const NETWORK_DEFAULT_PORTS: Record<string, number> = {
  nbd: 10809,
  iscsi: 3260,
  gluster: 24007,
  http: 80,
  https: 443,
  ftp: 21,
  ftps: 990,
  tftp: 69,
  ssh: 22,
};

export function parseDisk(el: XmlElement, ctx: ParseContext): DiskDef {
  const type = enumAttr(el, 'type', DISK_TYPES) ?? 'file';
  const device = enumAttr(el, 'device', DISK_DEVICES) ?? 'disk';
  const sourceEl = firstChild(el, 'source');
  const source = sourceEl ? parseSource(sourceEl, type) : undefined;
  if (source?.extra && ctx.inactive) {
    source.extra = source.extra.filter((e) => !isUnsetDeviceSeclabel(e));
    if (source.extra.length === 0) delete source.extra;
  }
  const targetEl = firstChild(el, 'target');
  const dev = targetEl?.attrs.dev;
  if (!dev) {
    throw domainError(
      ErrorCode.NO_TARGET,
      source?.path ?? source?.name ?? (source?.volume ? `${source.pool}/${source.volume}` : undefined),
    );
  }
  const busText = targetEl!.attrs.bus;
  let bus: DiskBus;
  if (busText !== undefined) {
    if (!(DISK_BUSES as readonly string[]).includes(busText)) throw unsupported(`unknown disk bus type '${busText}'`);
    bus = busText as DiskBus;
  } else bus = busFromTarget(dev, device);
  if (device === 'floppy' && bus !== 'fdc') throw xmlError(`Invalid bus type '${bus}' for floppy disk`);
  if (device !== 'floppy' && bus === 'fdc') throw xmlError(`Invalid bus type '${bus}' for disk`);

  const disk: DiskDef = { type, device, target: { dev, bus }, info: parseDeviceInfo(el, ctx) };
  if (source && (source.path !== undefined || type !== 'file' || source.extra || source.startupPolicy))
    disk.source = source;
  disk.model = el.attrs.model;
  disk.rawio = yesNoAttr(el, 'rawio');
  disk.sgio = el.attrs.sgio;
  disk.snapshot = el.attrs.snapshot;
  disk.target.tray = enumAttr(targetEl!, 'tray', TRAY_STATES);
  disk.target.removable = onOffAttr(targetEl!, 'removable');
  disk.target.rotationRate = uintAttr(targetEl!, 'rotation_rate');

  const driver = firstChild(el, 'driver');
  disk.iothreadMapping = parseIothreadMapping(driver);
  if (driver && Object.keys(driver.attrs).length) {
    disk.driver = { ...driver.attrs };
    // 'default' in these enums is the same as not asking.
    for (const k of ['cache', 'io', 'discard', 'detect_zeroes', 'error_policy', 'rerror_policy'])
      if (disk.driver[k] === 'default') delete disk.driver[k];
  }
  const bd = firstChild(el, 'backenddomain');
  if (bd?.attrs.name) disk.backenddomain = bd.attrs.name;
  const geo = firstChild(el, 'geometry');
  if (geo) {
    const cyls = uintAttr(geo, 'cyls');
    const heads = uintAttr(geo, 'heads');
    const secs = uintAttr(geo, 'secs');
    if (cyls === undefined || heads === undefined || secs === undefined)
      throw xmlError('missing geometry cyls, heads or secs');
    disk.geometry = { cyls, heads, secs, trans: geo.attrs.trans };
  }
  const blockio = firstChild(el, 'blockio');
  if (blockio) {
    disk.blockio = {
      logicalBlockSize: uintAttr(blockio, 'logical_block_size'),
      physicalBlockSize: uintAttr(blockio, 'physical_block_size'),
      discardGranularity: uintAttr(blockio, 'discard_granularity'),
    };
  }
  const filters = firstChild(el, 'throttlefilters');
  if (filters) {
    disk.throttleFilters = children(filters, 'throttlefilter').map((f) => {
      if (!f.attrs.group) throw xmlError("Missing required attribute 'group' in element 'throttlefilter'");
      return f.attrs.group;
    });
  }
  const iotune = firstChild(el, 'iotune');
  if (iotune) {
    const t: DiskDef['iotune'] = {};
    for (const f of IOTUNE_FIELDS) {
      const v = childString(iotune, f);
      if (v !== undefined) t[f] = v.trim();
    }
    disk.iotune = t;
  }
  // A CD-ROM is read-only whether or not the XML says so.
  if (firstChild(el, 'readonly') || device === 'cdrom') disk.readonly = true;
  if (firstChild(el, 'shareable')) disk.shareable = true;
  if (firstChild(el, 'transient')) disk.transient = true;
  disk.serial = childString(el, 'serial');
  disk.wwn = childString(el, 'wwn');
  disk.vendor = childString(el, 'vendor');
  disk.product = childString(el, 'product');
  const auth = firstChild(el, 'auth');
  if (auth) {
    // The older disk-level <auth> and the one inside <source> name the same thing.
    if (sourceEl && firstChild(sourceEl, 'auth'))
      throw unsupported('an <auth> definition already found for disk source');
    disk.auth = auth;
  }
  const backing = firstChild(el, 'backingStore');
  if (backing) disk.backingStore = backing;
  const enc = firstChild(el, 'encryption') ?? (sourceEl ? firstChild(sourceEl, 'encryption') : undefined);
  if (enc && sourceEl && firstChild(el, 'encryption') && firstChild(sourceEl, 'encryption'))
    throw unsupported('an <encryption> definition already found for disk source');
  if (enc) {
    disk.encryption = enc;
    disk.encryptionInSource = !firstChild(el, 'encryption');
  }
  return disk;
}

function formatSource(w: XmlWriter, disk: DiskDef, ctx: FormatContext): void {
  const s = disk.source;
  const encInSource = disk.encryption && disk.encryptionInSource;
  if (!s && !encInSource) return;
  let attrs = '';
  const src = s ?? {};
  switch (disk.type) {
    case 'file':
      attrs += a('file', src.path) + a('fdgroup', src.fdgroup);
      break;
    case 'block':
      attrs += a('dev', src.path);
      break;
    case 'dir':
      attrs += a('dir', src.path);
      break;
    case 'network':
      attrs +=
        a('protocol', src.protocol) +
        a('name', src.name) +
        a('query', src.query) +
        yn('tls', src.tls) +
        a('tlsHostname', src.tlsHostname);
      break;
    case 'volume':
      attrs += a('pool', src.pool) + a('volume', src.volume) + a('mode', src.mode);
      break;
    default:
      for (const k in src.attrs ?? {}) if (k !== 'startupPolicy' && k !== 'index') attrs += a(k, src.attrs![k]);
      break;
  }
  attrs += a('startupPolicy', src.startupPolicy) + a('index', ctx.inactive ? undefined : src.index);
  const mark = w.openMaybe('source', attrs);
  for (const h of src.hosts ?? [])
    w.empty('host', a('name', h.name) + a('port', h.port) + a('transport', h.transport) + a('socket', h.socket));
  // <auth> follows the transport settings (ssl, cookies, readahead, timeout), as libvirt writes it.
  for (const e of src.extra ?? []) if (e.name !== 'auth') w.raw(e);
  if (src.ssl) w.empty('ssl', yn('verify', src.ssl.verify));
  if (src.cookies?.length) {
    w.open('cookies');
    for (const c of src.cookies) w.text('cookie', c.value, a('name', c.name));
    w.close('cookies');
  }
  if (src.readahead !== undefined) w.empty('readahead', a('size', src.readahead));
  if (src.timeout !== undefined) w.empty('timeout', a('seconds', src.timeout));
  for (const e of src.extra ?? []) if (e.name === 'auth') w.raw(e);
  if (encInSource) w.raw(disk.encryption!);
  w.endMaybe(mark, 'source', attrs, true);
}

const BACKING_ORDER = ['format', 'source', 'backingStore'];

/**
 * A <backingStore> in libvirt's layout: <format>, <source>, then the next layer; the layer
 * index is a live detail and is left out of a persistent definition.
 */
function canonicalBackingStore(el: XmlElement, inactive: boolean): XmlElement {
  const attrs: Record<string, string> = {};
  for (const k in el.attrs) if (!(inactive && k === 'index')) attrs[k] = el.attrs[k]!;
  const rank = (n: XmlElement) => {
    const i = BACKING_ORDER.indexOf(n.name);
    return i < 0 ? BACKING_ORDER.length : i;
  };
  const kids = elementsOf(el)
    .map((c, i) => ({ c, i }))
    .sort((x, y) => rank(x.c) - rank(y.c) || x.i - y.i)
    .map(({ c }) => (c.name === 'backingStore' ? canonicalBackingStore(c, inactive) : c));
  return { name: el.name, attrs, nodes: kids.length ? kids : el.nodes };
}

export function formatDisk(w: XmlWriter, disk: DiskDef, ctx: FormatContext): void {
  w.open(
    'disk',
    a('type', disk.type) +
      a('device', disk.device) +
      a('model', disk.model) +
      yn('rawio', disk.rawio) +
      a('sgio', disk.sgio) +
      a('snapshot', disk.snapshot),
  );
  if (disk.driver || disk.iothreadMapping) {
    let attrs = '';
    const driver = disk.driver ?? {};
    for (const k of DISK_DRIVER_ATTRS) attrs += a(k, driver[k]);
    for (const k in driver) if (!(DISK_DRIVER_ATTRS as readonly string[]).includes(k)) attrs += a(k, driver[k]);
    if (disk.iothreadMapping) {
      w.open('driver', attrs);
      formatIothreadMapping(w, disk.iothreadMapping);
      w.close('driver');
    } else if (attrs) w.empty('driver', attrs);
  }
  if (disk.auth) w.raw(disk.auth);
  formatSource(w, disk, ctx);
  if (disk.backingStore) w.raw(canonicalBackingStore(disk.backingStore, ctx.inactive));
  if (disk.backenddomain !== undefined) w.empty('backenddomain', a('name', disk.backenddomain));
  if (disk.geometry) {
    const g = disk.geometry;
    w.empty('geometry', a('cyls', g.cyls) + a('heads', g.heads) + a('secs', g.secs) + a('trans', g.trans));
  }
  if (disk.blockio) {
    const b = disk.blockio;
    const attrs =
      a('logical_block_size', b.logicalBlockSize) +
      a('physical_block_size', b.physicalBlockSize) +
      a('discard_granularity', b.discardGranularity);
    if (attrs) w.empty('blockio', attrs);
  }
  const t = disk.target;
  w.empty(
    'target',
    a('dev', t.dev) +
      a('bus', t.bus) +
      a('tray', t.tray === 'open' ? t.tray : undefined) +
      onoff('removable', t.removable) +
      a('rotation_rate', t.rotationRate),
  );
  if (disk.throttleFilters?.length) {
    w.open('throttlefilters');
    for (const g of disk.throttleFilters) w.empty('throttlefilter', a('group', g));
    w.close('throttlefilters');
  }
  if (disk.iotune) {
    const mark = w.openMaybe('iotune');
    for (const f of IOTUNE_FIELDS) {
      const v = disk.iotune[f];
      if (v !== undefined) w.text(f, v);
    }
    w.endMaybe(mark, 'iotune');
  }
  if (disk.readonly) w.empty('readonly');
  if (disk.shareable) w.empty('shareable');
  if (disk.transient) w.empty('transient');
  if (disk.serial !== undefined) w.text('serial', disk.serial);
  if (disk.wwn !== undefined) w.text('wwn', disk.wwn);
  if (disk.vendor !== undefined) w.text('vendor', disk.vendor);
  if (disk.product !== undefined) w.text('product', disk.product);
  if (disk.encryption && !disk.encryptionInSource) w.raw(disk.encryption);
  formatDeviceInfo(w, disk.info, ctx);
  w.close('disk');
}
