/** Formats <networkport> as libvirt's virNetworkPortDefFormat writes it. */
import { yesNo } from '../common/attributes.js';
import { formatBandwidth } from '../network/bandwidth.js';
import { formatVirtualPort } from '../network/virtualport.js';
import { formatVlan } from '../network/vlan.js';
import { a, attrList, XmlWriter } from '../writer.js';
import type { NetworkPortDef, PortPlug } from './types.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function formatPlug(w: XmlWriter, plug: PortPlug): void {
  switch (plug.type) {
    case 'network':
    case 'bridge':
      w.empty('plug', a('type', plug.type) + a('bridge', plug.bridge) + a('macTableManager', plug.macTableManager));
      return;
    case 'direct':
      // libvirt always names the mode; its default is vepa.
      w.empty('plug', a('type', plug.type) + a('dev', plug.dev) + a('mode', plug.mode ?? 'vepa'));
      return;
    case 'hostdev-pci':
      w.open('plug', a('type', plug.type) + a('managed', yesNo(plug.managed)));
      if (plug.driver) w.empty('driver', a('name', plug.driver));
      w.empty(
        'address',
        attrList([
          ['domain', `0x${hex(plug.address.domain, 4)}`],
          ['bus', `0x${hex(plug.address.bus, 2)}`],
          ['slot', `0x${hex(plug.address.slot, 2)}`],
          ['function', `0x${plug.address.function.toString(16)}`],
        ]),
      );
      w.close('plug');
  }
}

export function formatNetworkPortXml(def: NetworkPortDef): string {
  const w = new XmlWriter();
  w.open('networkport');
  w.text('uuid', def.uuid);
  w.open('owner');
  w.text('name', def.owner.name);
  w.text('uuid', def.owner.uuid);
  w.close('owner');
  w.optText('group', def.group);
  w.empty('mac', a('address', def.mac));
  formatVirtualPort(w, def.virtualPort);
  formatBandwidth(w, def.bandwidth, def.classId);
  formatVlan(w, def.vlan);
  if (def.isolated !== undefined) w.empty('port', a('isolated', yesNo(def.isolated)));
  if (def.trustGuestRxFilters !== undefined) w.empty('rxfilters', a('trustGuest', yesNo(def.trustGuestRxFilters)));
  if (def.plug) formatPlug(w, def.plug);
  w.close('networkport');
  return w.out;
}
