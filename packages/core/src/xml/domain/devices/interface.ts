/** <interface>: network interfaces, their host-side source and guest-side model. */

import { formatRoute } from '../../network/route.js';
import { a, type XmlWriter, yn } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { generateUuid } from '../general.js';
import { unsupported, xmlError } from '../util/errors.js';
import { children, elementsOf, enumAttr, firstChild, uintAttr, type XmlElement, yesNoAttr } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';

export const NET_TYPES = [
  'user',
  'ethernet',
  'vhostuser',
  'server',
  'client',
  'mcast',
  'network',
  'bridge',
  'internal',
  'direct',
  'hostdev',
  'udp',
  'vdpa',
  'null',
  'vds',
] as const;
export type NetType = (typeof NET_TYPES)[number];
export const MAC_TYPES = ['generated', 'static'] as const;
export const VIRTUALPORT_TYPES = ['802.1Qbg', '802.1Qbh', 'openvswitch', 'midonet'] as const;
export const LINK_STATES = ['up', 'down'] as const;

/** <source> attributes in libvirt's order. */
const SOURCE_ATTRS = [
  'network',
  'portgroup',
  'portid',
  'bridge',
  'dev',
  'mode',
  'address',
  'port',
  'type',
  'path',
  'name',
  'switchid',
] as const;
const VPORT_PARAMS = ['managerid', 'typeid', 'typeidversion', 'instanceid', 'interfaceid', 'profileid'] as const;
const DRIVER_ATTRS = [
  'name',
  'txmode',
  'ioeventfd',
  'event_idx',
  'queues',
  'rx_queue_size',
  'tx_queue_size',
  'rss',
  'rss_hash_report',
  'iommu',
  'ats',
  'packed',
  'page_per_vq',
] as const;

export interface MacAddress {
  address: string;
  type?: (typeof MAC_TYPES)[number];
  check?: boolean;
}

export interface VirtualPort {
  type?: (typeof VIRTUALPORT_TYPES)[number];
  parameters: Partial<Record<(typeof VPORT_PARAMS)[number], string>>;
}

export interface BandwidthRate {
  average?: number;
  peak?: number;
  floor?: number;
  burst?: number;
}

export interface NetIp {
  address: string;
  family?: 'ipv4' | 'ipv6';
  prefix?: number;
  peer?: string;
}

export interface NetRoute {
  family?: string;
  address: string;
  netmask?: string;
  prefix?: number;
  gateway: string;
  metric?: number;
}

/** The NIC models libvirt knows by name (others are passed through as written). */
const NET_MODELS = [
  'netfront',
  'rtl8139',
  'virtio',
  'e1000',
  'e1000e',
  'igb',
  'virtio-transitional',
  'virtio-non-transitional',
  'usb-net',
  'spapr-vlan',
  'lan9118',
  'smc91c111',
  'vlance',
  'vmxnet',
  'vmxnet2',
  'vmxnet3',
  'Am79C970A',
  'Am79C973',
  '82540EM',
  '82545EM',
  '82543GC',
] as const;

export interface InterfaceDef {
  type: NetType;
  trustGuestRxFilters?: boolean;
  /** type='hostdev': the host device is detached from its host driver and given back (managed='yes'). */
  managed?: boolean;
  mac: MacAddress;
  /** <source> attributes (network/bridge/dev/mode/address/port/...). */
  source?: Partial<Record<string, string>>;
  /** <source> children (e.g. <local>, hostdev <address>), kept as written. */
  sourceChildren?: XmlElement[];
  vlan?: XmlElement;
  virtualport?: VirtualPort;
  bandwidth?: { inbound?: BandwidthRate; outbound?: BandwidthRate };
  isolatedPort?: boolean;
  ips?: NetIp[];
  routes?: NetRoute[];
  /** <portForward> rules (passt backend), kept as written. */
  portForwards?: XmlElement[];
  script?: string;
  downscript?: string;
  backenddomain?: string;
  target?: { dev: string; managed?: boolean };
  guest?: { dev?: string; actual?: string };
  model?: string;
  driver?: Partial<Record<string, string>>;
  driverChildren?: XmlElement[];
  backend?: { tap?: string; vhost?: string; type?: string; logFile?: string };
  filterref?: { filter: string; parameters: Array<{ name: string; value: string }> };
  tune?: XmlElement;
  teaming?: { type: string; persistent?: string };
  link?: (typeof LINK_STATES)[number];
  mtu?: number;
  coalesce?: XmlElement;
  info: DeviceInfo;
}

/** Interface names the hypervisor hands out; they are chosen again at the next start. */
const GENERATED_IFNAME = /^(vnet|vif|macvtap|macvlan)[0-9]*$/;

/** Whether `dev` is a name the hypervisor generated (dropped from persistent definitions). */
export function isGeneratedIfname(dev: string): boolean {
  return GENERATED_IFNAME.test(dev);
}

const MAC_RE =
  /^([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})$/;

/** Normalise a MAC address ("AA-bb-..." → "aa:bb:..."); undefined when malformed. */
export function parseMac(text: string): string | undefined {
  const m = MAC_RE.exec(text.trim());
  if (!m) return undefined;
  return m
    .slice(1)
    .map((x) => x.toLowerCase().padStart(2, '0'))
    .join(':');
}

/** A MAC with libvirt's QEMU/KVM prefix 52:54:00 and three random bytes. */
export function generateMac(ctx: ParseContext): string {
  const b = ctx.randomBytes(3);
  return ['52', '54', '00', ...Array.from(b, (x) => x.toString(16).padStart(2, '0'))].join(':');
}

function rate(el: XmlElement | undefined): BandwidthRate | undefined {
  if (!el) return undefined;
  const r: BandwidthRate = {
    average: uintAttr(el, 'average'),
    peak: uintAttr(el, 'peak'),
    floor: uintAttr(el, 'floor'),
    burst: uintAttr(el, 'burst'),
  };
  if (r.average === undefined && r.floor === undefined) throw xmlError('Missing mandatory average or floor attributes');
  return r;
}

export function parseInterface(el: XmlElement, ctx: ParseContext): InterfaceDef {
  const typeText = el.attrs.type ?? 'user';
  if (!(NET_TYPES as readonly string[]).includes(typeText)) throw xmlError(`unknown interface type '${typeText}'`);
  const type = typeText as NetType;

  const macEl = firstChild(el, 'mac');
  let mac: MacAddress;
  const macText = macEl?.attrs.address;
  if (macText !== undefined) {
    const address = parseMac(macText);
    if (!address) throw xmlError(`unable to parse mac address '${macText}'`);
    if (Number.parseInt(address.slice(0, 2), 16) & 1)
      throw xmlError(`expected unicast mac address, found multicast '${macText}'`);
    // An all-zero address asks for a new one.
    mac = { address: address === '00:00:00:00:00:00' ? generateMac(ctx) : address };
  } else {
    mac = { address: generateMac(ctx) };
  }
  if (macEl) {
    mac.type = enumAttr(macEl, 'type', MAC_TYPES);
    mac.check = yesNoAttr(macEl, 'check');
  }

  const net: InterfaceDef = { type, mac, info: parseDeviceInfo(el, ctx) };
  net.trustGuestRxFilters = yesNoAttr(el, 'trustGuestRxFilters');
  if (type === 'hostdev' && yesNoAttr(el, 'managed')) net.managed = true;
  const src = firstChild(el, 'source');
  if (src) {
    if (Object.keys(src.attrs).length) net.source = { ...src.attrs };
    const kids = elementsOf(src);
    if (kids.length) net.sourceChildren = kids;
  }
  switch (type) {
    case 'network':
      if (!net.source?.network)
        throw xmlError(`No <source> 'network' attribute specified with <interface type='network'/>`);
      break;
    case 'bridge':
      if (!net.source?.bridge)
        throw xmlError(`No <source> 'bridge' attribute specified with <interface type='bridge'/>`);
      break;
    case 'direct':
      if (!net.source?.dev) throw xmlError(`No <source> 'dev' attribute specified with <interface type='direct'/>`);
      break;
    case 'server':
    case 'client':
    case 'mcast':
    case 'udp':
      if (!net.source?.port) throw xmlError(`No <source> 'port' attribute specified with socket interface`);
      if (type !== 'server' && !net.source?.address)
        throw xmlError(`No <source> 'address' attribute specified with socket interface`);
      break;
    default:
      break;
  }

  const vlan = firstChild(el, 'vlan');
  if (vlan) net.vlan = vlan;
  const vp = firstChild(el, 'virtualport');
  if (vp) {
    if (!['bridge', 'network', 'direct', 'hostdev'].includes(type)) {
      throw unsupported(`<virtualport> element unsupported for <interface type='${type}'>`);
    }
    const vtype = vp.attrs.type;
    if (vtype !== undefined && !(VIRTUALPORT_TYPES as readonly string[]).includes(vtype))
      throw xmlError(`unknown virtualport type ${vtype}`);
    const params = firstChild(vp, 'parameters');
    const parameters: VirtualPort['parameters'] = {};
    for (const k of VPORT_PARAMS) if (params?.attrs[k] !== undefined) parameters[k] = params.attrs[k];
    // Fill in the identifiers libvirt generates when a port type asks for one.
    if (vtype === '802.1Qbg' && parameters.instanceid === undefined) parameters.instanceid = generateUuid(ctx);
    if ((vtype === 'openvswitch' || vtype === 'midonet') && parameters.interfaceid === undefined)
      parameters.interfaceid = generateUuid(ctx);
    net.virtualport = { type: vtype as VirtualPort['type'], parameters };
  }
  const bw = firstChild(el, 'bandwidth');
  if (bw) net.bandwidth = { inbound: rate(firstChild(bw, 'inbound')), outbound: rate(firstChild(bw, 'outbound')) };
  const port = firstChild(el, 'port');
  if (port) net.isolatedPort = yesNoAttr(port, 'isolated');
  const ips = children(el, 'ip').map((ip): NetIp => {
    const address = ip.attrs.address;
    if (!address) throw xmlError('Missing required address in <ip>');
    const family = (ip.attrs.family as NetIp['family']) ?? (address.includes(':') ? 'ipv6' : 'ipv4');
    return { address, family, prefix: uintAttr(ip, 'prefix'), peer: ip.attrs.peer };
  });
  if (ips.length) net.ips = ips;
  const routes = children(el, 'route').map((r): NetRoute => {
    const address = r.attrs.address;
    const gateway = r.attrs.gateway;
    if (!address || !gateway) throw xmlError('route definition must have an address and gateway');
    return {
      family: r.attrs.family,
      address,
      netmask: r.attrs.netmask,
      prefix: uintAttr(r, 'prefix'),
      gateway,
      metric: uintAttr(r, 'metric'),
    };
  });
  if (routes.length) net.routes = routes;
  net.script = firstChild(el, 'script')?.attrs.path;
  net.downscript = firstChild(el, 'downscript')?.attrs.path;
  net.backenddomain = firstChild(el, 'backenddomain')?.attrs.name;
  // Always present (maybe undefined): drivers that name the host side later replace it, and an
  // object that gains a property after a spread copy is much slower to read in V8.
  net.target = undefined;
  const target = firstChild(el, 'target');
  if (target?.attrs.dev) {
    const dev = target.attrs.dev;
    const generated = GENERATED_IFNAME.test(dev);
    if (!(ctx.inactive && generated)) net.target = { dev, managed: yesNoAttr(target, 'managed') };
  }
  const guest = firstChild(el, 'guest');
  if (guest && !ctx.inactive) net.guest = { dev: guest.attrs.dev, actual: guest.attrs.actual };
  const model = firstChild(el, 'model')?.attrs.type;
  // Known models are matched whatever their case and written in libvirt's spelling.
  net.model =
    model === undefined ? undefined : (NET_MODELS.find((m) => m.toLowerCase() === model.toLowerCase()) ?? model);
  const driver = firstChild(el, 'driver');
  if (driver) {
    // Queue counts and sizes are unsigned integers; the rest stays text.
    for (const k of ['queues', 'rx_queue_size', 'tx_queue_size']) uintAttr(driver, k);
    // A passed-through NIC's <driver> only names the host backend (vfio); virtio tuning does not apply.
    const attrs = net.type === 'hostdev' ? pick(driver.attrs, ['name']) : { ...driver.attrs };
    if (Object.keys(attrs).length) net.driver = attrs;
    const kids = elementsOf(driver);
    if (kids.length) net.driverChildren = kids;
  }
  const forwards = children(el, 'portForward');
  if (forwards.length) net.portForwards = forwards;
  const backend = firstChild(el, 'backend');
  if (backend)
    net.backend = {
      tap: backend.attrs.tap,
      vhost: backend.attrs.vhost,
      type: backend.attrs.type,
      logFile: backend.attrs.logFile,
    };
  const filter = firstChild(el, 'filterref');
  // Traffic filters apply to the interface types with a host-side tap or bridge port only.
  if (filter?.attrs.filter && FILTERABLE_TYPES.includes(net.type)) {
    net.filterref = {
      filter: filter.attrs.filter,
      parameters: children(filter, 'parameter').map((p) => ({ name: p.attrs.name ?? '', value: p.attrs.value ?? '' })),
    };
  }
  const tune = firstChild(el, 'tune');
  if (tune) net.tune = tune;
  const teaming = firstChild(el, 'teaming');
  if (teaming?.attrs.type) net.teaming = { type: teaming.attrs.type, persistent: teaming.attrs.persistent };
  const link = firstChild(el, 'link');
  if (link) net.link = enumAttr(link, 'state', LINK_STATES);
  const mtu = firstChild(el, 'mtu');
  if (mtu) net.mtu = uintAttr(mtu, 'size');
  const coalesce = firstChild(el, 'coalesce');
  if (coalesce) net.coalesce = canonicalCoalesce(coalesce);
  return net;
}

/** libvirt keeps only rx/frames@max of <coalesce>, and nothing when that is absent or 0. */
function canonicalCoalesce(el: XmlElement): XmlElement | undefined {
  const rx = firstChild(el, 'rx');
  const frames = rx && firstChild(rx, 'frames');
  const max = frames ? uintAttr(frames, 'max') : undefined;
  if (!max) return undefined;
  const framesEl: XmlElement = { name: 'frames', attrs: { max: String(max) }, nodes: [] };
  return { name: 'coalesce', attrs: {}, nodes: [{ name: 'rx', attrs: {}, nodes: [framesEl] }] };
}

const FILTERABLE_TYPES: readonly string[] = ['network', 'bridge', 'ethernet'];

function pick(attrs: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (attrs[k] !== undefined) out[k] = attrs[k];
  return out;
}

function rateAttrs(r: BandwidthRate): string {
  return a('average', r.average) + a('peak', r.peak) + a('floor', r.floor) + a('burst', r.burst);
}

export function formatInterface(w: XmlWriter, net: InterfaceDef, ctx: FormatContext): void {
  w.open(
    'interface',
    a('type', net.type) + (net.managed ? " managed='yes'" : '') + yn('trustGuestRxFilters', net.trustGuestRxFilters),
  );
  w.empty('mac', a('address', net.mac.address) + a('type', net.mac.type) + yn('check', net.mac.check));
  if (net.source || net.sourceChildren) {
    let attrs = '';
    const s = net.source ?? {};
    // vhost-user sockets are written like character device sources.
    const order = net.type === 'vhostuser' ? (['type', 'path', 'mode'] as const) : SOURCE_ATTRS;
    for (const k of order) {
      // The bridge a network resolved to, and the port allocated on it, are live data.
      if (k === 'bridge' && net.type === 'network' && ctx.inactive) continue;
      if (k === 'portid' && ctx.inactive) continue;
      attrs += a(k, s[k]);
    }
    for (const k in s) if (!(order as readonly string[]).includes(k)) attrs += a(k, s[k]);
    if (net.sourceChildren?.length) {
      w.open('source', attrs);
      for (const c of net.sourceChildren) w.raw(c);
      w.close('source');
    } else if (attrs) w.empty('source', attrs);
  }
  if (net.vlan) w.raw(net.vlan);
  if (net.virtualport) {
    const vp = net.virtualport;
    let p = '';
    for (const k of VPORT_PARAMS) p += a(k, vp.parameters[k]);
    if (p) {
      w.open('virtualport', a('type', vp.type));
      w.empty('parameters', p);
      w.close('virtualport');
    } else w.empty('virtualport', a('type', vp.type));
  }
  if (net.bandwidth && (net.bandwidth.inbound || net.bandwidth.outbound)) {
    w.open('bandwidth');
    if (net.bandwidth.inbound) w.empty('inbound', rateAttrs(net.bandwidth.inbound));
    if (net.bandwidth.outbound) w.empty('outbound', rateAttrs(net.bandwidth.outbound));
    w.close('bandwidth');
  }
  if (net.isolatedPort !== undefined) w.empty('port', yn('isolated', net.isolatedPort));
  for (const ip of net.ips ?? [])
    w.empty('ip', a('address', ip.address) + a('family', ip.family) + a('prefix', ip.prefix) + a('peer', ip.peer));
  for (const r of net.routes ?? []) formatRoute(w, r);
  for (const pf of net.portForwards ?? []) w.raw(pf);
  if (net.script !== undefined) w.empty('script', a('path', net.script));
  if (net.downscript !== undefined) w.empty('downscript', a('path', net.downscript));
  if (net.backenddomain !== undefined) w.empty('backenddomain', a('name', net.backenddomain));
  if (net.target && !(ctx.inactive && GENERATED_IFNAME.test(net.target.dev))) {
    w.empty('target', a('dev', net.target.dev) + yn('managed', net.target.managed));
  }
  if (net.guest && !ctx.inactive && (net.guest.dev || net.guest.actual))
    w.empty('guest', a('dev', net.guest.dev) + a('actual', net.guest.actual));
  if (net.model !== undefined) w.empty('model', a('type', net.model));
  if (net.driver || net.driverChildren) {
    let d = '';
    const drv = net.driver ?? {};
    for (const k of DRIVER_ATTRS) d += a(k, drv[k]);
    for (const k in drv) if (!(DRIVER_ATTRS as readonly string[]).includes(k)) d += a(k, drv[k]);
    if (net.driverChildren?.length) {
      w.open('driver', d);
      for (const c of net.driverChildren) w.raw(c);
      w.close('driver');
    } else w.empty('driver', d);
  }
  if (net.backend) {
    const b = net.backend;
    const attrs = a('type', b.type) + a('tap', b.tap) + a('vhost', b.vhost) + a('logFile', b.logFile);
    if (attrs) w.empty('backend', attrs);
  }
  if (net.filterref) {
    if (net.filterref.parameters.length) {
      w.open('filterref', a('filter', net.filterref.filter));
      for (const p of net.filterref.parameters) w.empty('parameter', a('name', p.name) + a('value', p.value));
      w.close('filterref');
    } else w.empty('filterref', a('filter', net.filterref.filter));
  }
  if (net.tune) w.raw(net.tune);
  if (net.teaming) w.empty('teaming', a('type', net.teaming.type) + a('persistent', net.teaming.persistent));
  if (net.link) w.empty('link', a('state', net.link));
  if (net.mtu !== undefined) w.empty('mtu', a('size', net.mtu));
  if (net.coalesce) w.raw(net.coalesce);
  formatDeviceInfo(w, net.info, ctx);
  w.close('interface');
}
