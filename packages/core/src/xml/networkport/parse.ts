/** Parses <networkport> as libvirt's virNetworkPortDefParseXML reads it (same checks, same errors). */
import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import { childText, firstChild, parseXml, type XmlElement } from '../adapter.js';
import { parseYesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { normalizeUuid } from '../common/uuid.js';
import { normalizeMac } from '../network/addresses.js';
import { parseBandwidth } from '../network/bandwidth.js';
import { FORWARD_DRIVER_NAMES, type ForwardDriverName, parsePciAddress } from '../network/forward.js';
import { MAC_TABLE_MANAGERS, type MacTableManager } from '../network/types.js';
import { parseVirtualPort } from '../network/virtualport.js';
import { parseVlan } from '../network/vlan.js';
import { MACVLAN_MODES, type MacvlanMode, type NetworkPortDef, PORT_PLUG_TYPES, type PortPlug } from './types.js';

const D = ErrorDomain.NETWORK;
const internal = (detail: string) => new VirError({ code: ErrorCode.INTERNAL_ERROR, domain: D, detail });

export function parseNetworkPortXml(xml: string): NetworkPortDef {
  const root = parseXml(xml, { documentName: 'networkport_definition', domain: ErrorDomain.XML });
  if (root.name !== 'networkport') throw xmlError(D, 'unknown root element for network port');
  return parseNetworkPortElement(root);
}

function requiredUuid(text: string | undefined, missing: string): string {
  if (text === undefined) throw internal(missing);
  const uuid = normalizeUuid(text);
  if (!uuid) throw internal(`Unable to parse UUID '${text}'`);
  return uuid;
}

export function parseNetworkPortElement(root: XmlElement): NetworkPortDef {
  const uuid = requiredUuid(childText(root, 'uuid'), 'network port has no uuid');
  const ownerNode = firstChild(root, 'owner');
  const ownerName = ownerNode ? childText(ownerNode, 'name') : undefined;
  if (ownerName === undefined) throw internal('network port has no owner name');
  const ownerUuid = requiredUuid(
    ownerNode ? childText(ownerNode, 'uuid') : undefined,
    'network port has no owner UUID',
  );
  const def: NetworkPortDef = { uuid, owner: { name: ownerName, uuid: ownerUuid }, mac: '' };

  const group = childText(root, 'group');
  if (group !== undefined) def.group = group;
  const vp = firstChild(root, 'virtualport');
  if (vp) def.virtualPort = parseVirtualPort(vp, false);

  const macText = firstChild(root, 'mac')?.attrs.address;
  if (macText === undefined) throw internal('network port has no mac');
  const mac = normalizeMac(macText);
  if (!mac) throw internal(`Unable to parse MAC '${macText}'`);
  def.mac = mac;

  const bw = firstChild(root, 'bandwidth');
  if (bw) {
    // Whether a floor is allowed is known only when the port is plugged: accepted here.
    const parsed = parseBandwidth(bw, true);
    if (parsed) def.bandwidth = parsed;
    const classId = bw.attrs.classID;
    if (classId !== undefined) {
      if (!/^\d+$/.test(classId)) throw xmlError(D, `Unable to parse class id '${classId}'`);
      def.classId = Number(classId);
    }
  }
  const vlan = firstChild(root, 'vlan');
  if (vlan) def.vlan = parseVlan(vlan);
  const isolated = parseYesNo(firstChild(root, 'port'), 'isolated', D);
  if (isolated !== undefined) def.isolated = isolated;
  const trust = parseYesNo(firstChild(root, 'rxfilters'), 'trustGuest', D);
  if (trust !== undefined) def.trustGuestRxFilters = trust;

  const plug = firstChild(root, 'plug');
  const parsedPlug = plug ? parsePlug(plug) : undefined;
  if (parsedPlug) def.plug = parsedPlug;
  return def;
}

function parsePlug(node: XmlElement): PortPlug | undefined {
  const type = node.attrs.type;
  if (type === undefined || type === 'none') return undefined;
  if (!(PORT_PLUG_TYPES as readonly string[]).includes(type)) {
    throw xmlError(D, `Invalid value for attribute 'type' in element 'plug': '${type}'.`);
  }
  if (type === 'network' || type === 'bridge') {
    const bridge = node.attrs.bridge;
    if (bridge === undefined) throw xmlError(D, 'Missing network port bridge name');
    const mgr = node.attrs.macTableManager;
    // 'kernel' is the default, which libvirt's reader refuses to name explicitly.
    if (mgr !== undefined && (mgr === 'kernel' || !(MAC_TABLE_MANAGERS as readonly string[]).includes(mgr))) {
      throw xmlError(D, `Invalid macTableManager setting '${mgr}' in network port`);
    }
    return { type, bridge, ...(mgr ? { macTableManager: mgr as MacTableManager } : {}) };
  }
  if (type === 'direct') {
    const dev = node.attrs.dev;
    if (dev === undefined) throw xmlError(D, 'Missing network port link device name');
    const mode = node.attrs.mode;
    if (mode !== undefined && !(MACVLAN_MODES as readonly string[]).includes(mode)) {
      throw xmlError(D, `Invalid mode setting '${mode}' in network port`);
    }
    return { type, dev, ...(mode ? { mode: mode as MacvlanMode } : {}) };
  }
  const managed = parseYesNo(node, 'managed', D);
  const driver = firstChild(node, 'driver')?.attrs.name;
  if (driver !== undefined && !(FORWARD_DRIVER_NAMES as readonly string[]).includes(driver)) {
    throw xmlError(D, 'Missing network port driver name');
  }
  const address = firstChild(node, 'address');
  if (!address) throw xmlError(D, 'Missing network port PCI address');
  return {
    type: 'hostdev-pci',
    ...(managed !== undefined ? { managed } : {}),
    ...(driver ? { driver: driver as ForwardDriverName } : {}),
    address: parsePciAddress(address, D),
  };
}
