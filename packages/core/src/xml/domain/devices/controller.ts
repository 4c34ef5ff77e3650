/** <controller>: buses devices attach to (ide, scsi, usb, pci, virtio-serial, ccid, ...). */

import { a, type XmlWriter } from '../../writer.js';
import type { FormatContext, ParseContext } from '../context.js';
import { xmlError } from '../util/errors.js';
import { elementsOf, firstChild, textOf, uintAttr, type XmlElement } from '../util/parse.js';
import { type DeviceInfo, formatDeviceInfo, parseDeviceInfo } from './info.js';
import { formatIothreadMapping, type IothreadMapping, parseIothreadMapping } from './iothread-mapping.js';

export const CONTROLLER_TYPES = [
  'ide',
  'fdc',
  'scsi',
  'sata',
  'virtio-serial',
  'ccid',
  'usb',
  'pci',
  'xenbus',
  'isa',
  'nvme',
] as const;
export type ControllerType = (typeof CONTROLLER_TYPES)[number];

/** Attributes of <driver> and <target> in libvirt's order. */
const DRIVER_ATTRS = [
  'queues',
  'cmd_per_lun',
  'max_sectors',
  'ioeventfd',
  'iothread',
  'iommu',
  'ats',
  'packed',
  'page_per_vq',
] as const;
const TARGET_ATTRS = ['chassisNr', 'chassis', 'port', 'busNr', 'index', 'hotplug', 'memReserve'] as const;

export interface ControllerDef {
  type: ControllerType;
  /** Assigned the lowest free index for its type when absent. */
  index: number;
  model?: string;
  ports?: number;
  vectors?: number;
  maxGrantFrames?: number;
  maxEventChannels?: number;
  /** PCI controllers: <model name=...>. */
  modelName?: string;
  driver?: Partial<Record<string, string>>;
  /** virtio-scsi <driver><iothreads>: IOThreads serving the controller's queues. */
  iothreadMapping?: IothreadMapping[];
  /** PCI controllers: <target ...> attributes and its <node>. */
  target?: Partial<Record<string, string>>;
  targetNode?: number;
  /** KiB. */
  pcihole64?: number;
  /** Anything else inside, kept as written (e.g. iothreads mapping). */
  extra?: XmlElement[];
  info: DeviceInfo;
}

/** Parsed controllers carry index -1 until post-parse gives them one. */
export function parseController(el: XmlElement, ctx: ParseContext): ControllerDef {
  const typeText = el.attrs.type ?? 'ide';
  if (!(CONTROLLER_TYPES as readonly string[]).includes(typeText))
    throw xmlError(`Unknown controller type '${typeText}'`);
  const idxText = el.attrs.index;
  let index = -1;
  if (idxText !== undefined) {
    if (!/^[0-9]+$/.test(idxText) || Number(idxText) > 0x7fffffff)
      throw xmlError(`Cannot parse controller index ${idxText}`);
    index = Number(idxText);
  }
  const c: ControllerDef = { type: typeText as ControllerType, index, info: parseDeviceInfo(el, ctx, false) };
  c.model = el.attrs.model;
  c.ports = uintAttr(el, 'ports');
  c.vectors = uintAttr(el, 'vectors');
  c.maxGrantFrames = uintAttr(el, 'maxGrantFrames');
  c.maxEventChannels = uintAttr(el, 'maxEventChannels');
  const model = firstChild(el, 'model');
  if (model?.attrs.name) c.modelName = model.attrs.name;
  const driver = firstChild(el, 'driver');
  if (driver && Object.keys(driver.attrs).length) c.driver = { ...driver.attrs };
  c.iothreadMapping = parseIothreadMapping(driver);
  const target = firstChild(el, 'target');
  if (target) {
    if (Object.keys(target.attrs).length) c.target = { ...target.attrs };
    const node = firstChild(target, 'node');
    if (node) c.targetNode = Number(textOf(node).trim());
  }
  const hole = firstChild(el, 'pcihole64');
  if (hole) c.pcihole64 = Number(textOf(hole).trim());
  const known = new Set(['model', 'driver', 'target', 'pcihole64', 'address', 'alias', 'master', 'acpi']);
  const extra = elementsOf(el).filter((e) => !known.has(e.name));
  if (extra.length) c.extra = extra;
  return c;
}

export function formatController(w: XmlWriter, c: ControllerDef, ctx: FormatContext): void {
  const attrs =
    a('type', c.type) +
    a('index', c.index) +
    a('model', c.model) +
    a('ports', c.ports) +
    a('vectors', c.vectors) +
    a('maxGrantFrames', c.maxGrantFrames) +
    a('maxEventChannels', c.maxEventChannels);
  const mark = w.openMaybe('controller', attrs);
  if (c.modelName) w.empty('model', a('name', c.modelName));
  if (c.driver || c.iothreadMapping) {
    let d = '';
    const driver = c.driver ?? {};
    for (const k of DRIVER_ATTRS) d += a(k, driver[k]);
    for (const k in driver) if (!(DRIVER_ATTRS as readonly string[]).includes(k)) d += a(k, driver[k]);
    if (c.iothreadMapping) {
      w.open('driver', d);
      formatIothreadMapping(w, c.iothreadMapping);
      w.close('driver');
    } else w.empty('driver', d);
  }
  for (const e of c.extra ?? []) w.raw(e);
  if (c.target || c.targetNode !== undefined) {
    let t = '';
    for (const k of TARGET_ATTRS) t += a(k, c.target?.[k]);
    for (const k in c.target ?? {}) if (!(TARGET_ATTRS as readonly string[]).includes(k)) t += a(k, c.target![k]);
    if (c.targetNode !== undefined) {
      w.open('target', t);
      w.text('node', String(c.targetNode));
      w.close('target');
    } else w.empty('target', t);
  }
  if (c.pcihole64 !== undefined) w.text('pcihole64', String(c.pcihole64), " unit='KiB'");
  formatDeviceInfo(w, c.info, ctx);
  w.endMaybe(mark, 'controller', attrs, true);
}
