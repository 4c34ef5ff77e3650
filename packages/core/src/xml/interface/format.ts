/**
 * Formats <interface> (host interfaces) in libvirt's layout: elements libvirt opens are always
 * closed on their own line (an empty <bridge> or <protocol> is not self-closed), and start mode,
 * MTU and addressing appear only on the top-level interface.
 */
import { a, XmlWriter } from '../writer.js';
import type { HostInterfaceDef, HostInterfaceLink, HostInterfaceProtocol } from './types.js';

export function formatHostInterfaceXml(def: HostInterfaceDef): string {
  const w = new XmlWriter();
  formatLevel(w, def, true);
  return w.out;
}

function formatLevel(w: XmlWriter, def: HostInterfaceDef, topLevel: boolean): void {
  w.open('interface', a('type', def.type) + a('name', def.name));
  if (topLevel) {
    if (def.startMode) w.empty('start', a('mode', def.startMode));
    if (def.mtu) w.empty('mtu', a('size', def.mtu));
    for (const p of def.protocols) formatProtocol(w, p);
  }
  if (def.type !== 'bridge') formatLink(w, def.link);
  switch (def.type) {
    case 'ethernet':
      if (def.mac !== undefined) w.empty('mac', a('address', def.mac));
      break;
    case 'bridge':
      w.open('bridge', (def.stp === undefined ? '' : a('stp', def.stp ? 'on' : 'off')) + a('delay', def.delay));
      for (const c of def.interfaces) formatLevel(w, c, false);
      w.close('bridge');
      break;
    case 'bond':
      w.open('bond', a('mode', def.mode));
      if (def.miimon) {
        const m = def.miimon;
        w.empty(
          'miimon',
          a('freq', m.freq) +
            (m.downDelay > 0 ? a('downdelay', m.downDelay) : '') +
            (m.upDelay > 0 ? a('updelay', m.upDelay) : '') +
            a('carrier', m.carrier),
        );
      } else if (def.arpmon) {
        const p = def.arpmon;
        w.empty('arpmon', a('interval', p.interval) + a('target', p.target) + a('validate', p.validate));
      }
      for (const c of def.interfaces) formatLevel(w, c, false);
      w.close('bond');
      break;
    case 'vlan':
      w.open('vlan', a('tag', def.tag));
      w.empty('interface', a('name', def.device));
      w.close('vlan');
      break;
  }
  w.close('interface');
}

function formatProtocol(w: XmlWriter, p: HostInterfaceProtocol): void {
  w.open('protocol', a('family', p.family));
  if (p.autoconf) w.empty('autoconf');
  if (p.dhcp) w.empty('dhcp', p.dhcp.peerDns === undefined ? '' : a('peerdns', p.dhcp.peerDns ? 'yes' : 'no'));
  for (const ip of p.ips) w.empty('ip', a('address', ip.address) + (ip.prefix !== 0 ? a('prefix', ip.prefix) : ''));
  if (p.gateway !== undefined) w.empty('route', a('gateway', p.gateway));
  w.close('protocol');
}

function formatLink(w: XmlWriter, link: HostInterfaceLink | undefined): void {
  if (!link || (link.speed === 0 && link.state === undefined)) return;
  w.empty('link', (link.speed ? a('speed', link.speed) : '') + a('state', link.state));
}
