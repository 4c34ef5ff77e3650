/** -netdev backends and the NIC -device for each interface. */
import type { InterfaceDef } from '@tsvirt/core';
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';
import { virtioOptions } from './virtio.js';

const NIC_MODELS: Record<string, string> = {
  virtio: 'virtio-net-pci',
  'virtio-transitional': 'virtio-net-pci-transitional',
  'virtio-non-transitional': 'virtio-net-pci-non-transitional',
};

export function buildNets(s: BuildState, bootIndex: (dev: object) => number | undefined): void {
  s.def.devices.interfaces.forEach((net, i) => {
    if (net.type === 'hostdev') return;
    const alias = s.alias(net);
    const netdevId = `host${alias}`;
    const backend = netdevProps(s, net, netdevId, i);
    if (!backend) return;
    s.add('-netdev', backend.json());
    s.device(nicProps(s, net, netdevId, alias, bootIndex(net)));
  });
}

function netdevProps(s: BuildState, net: InterfaceDef, id: string, _i: number): Props | undefined {
  const p = new Props();
  // Without a way to pass descriptors (the embedded driver), QEMU opens an existing tap itself:
  // one the user made (ethernet) or one the network driver plugged for this guest (network).
  if ((net.type === 'ethernet' || net.type === 'network') && !s.ctx.passFd && net.target?.dev) {
    return p.set('type', 'tap').set('ifname', net.target.dev).set('script', 'no').set('downscript', 'no').set('id', id);
  }
  switch (net.type) {
    case 'user':
      p.set('type', 'user');
      for (const ip of net.ips ?? []) {
        if (ip.address.includes(':')) p.set('ipv6-prefix', ip.address).set('ipv6-prefixlen', ip.prefix ?? 64);
        else p.set('net', `${ip.address}/${ip.prefix ?? 24}`);
      }
      break;
    case 'network':
    case 'bridge':
    case 'ethernet': {
      // A multiqueue NIC gets one tap (and one vhost-net) descriptor per queue.
      const queues = Math.max(1, Number(net.driver?.queues ?? 1));
      const fds = (kind: 'tap' | 'tap-ethernet' | 'vhost') =>
        Array.from({ length: queues }, () => String(s.fd(kind, id))).join(':');
      p.set('type', 'tap').set(queues > 1 ? 'fds' : 'fd', fds(net.type === 'ethernet' ? 'tap-ethernet' : 'tap'));
      if ((net.model ?? '').startsWith('virtio') && net.driver?.name !== 'qemu')
        p.set('vhost', true).set(queues > 1 ? 'vhostfds' : 'vhostfd', fds('vhost'));
      break;
    }
    case 'vhostuser': {
      const src = net.source ?? {};
      const charId = `char${id.replace(/^host/, '')}`;
      let arg = `socket,id=${charId},path=${escapeComma(src.path ?? '')}`;
      if (src.mode === 'server') arg += ',server=on';
      const rc = net.sourceChildren?.find((c) => c.name === 'reconnect');
      if (rc?.attrs.enabled === 'yes') arg += `,reconnect-ms=${Number(rc.attrs.timeout ?? 0) * 1000}`;
      else if (rc?.attrs.enabled === 'no') arg += ',reconnect-ms=0';
      s.add('-chardev', arg);
      p.set('type', 'vhost-user').set('chardev', charId);
      const queues = Number(net.driver?.queues ?? 1);
      if (queues > 1) p.set('queues', queues);
      break;
    }
    case 'mcast':
    case 'client':
    case 'server':
    case 'udp': {
      p.set('type', 'socket');
      const src = net.source ?? {};
      const where = `${src.address ?? ''}:${src.port ?? ''}`;
      if (net.type === 'mcast') p.set('mcast', where);
      else if (net.type === 'client') p.set('connect', where);
      else if (net.type === 'server') p.set('listen', where);
      else {
        p.set('udp', where);
        const local = net.sourceChildren?.find((c) => c.name === 'local');
        if (local) p.set('localaddr', `${local.attrs.address ?? ''}:${local.attrs.port ?? ''}`);
      }
      break;
    }
    default:
      return undefined;
  }
  return p.set('id', id);
}

function nicProps(s: BuildState, net: InterfaceDef, netdevId: string, alias: string, boot: number | undefined): Props {
  const model = net.model ?? 'rtl8139';
  const driver = NIC_MODELS[model] ?? model;
  const p = new Props().set('driver', driver);
  const isVirtio = driver.startsWith('virtio-net');
  if (isVirtio) {
    virtioOptions(p, net.driver);
    if (net.driver?.rss !== undefined) p.set('rss', net.driver.rss === 'on');
    if (net.driver?.rss_hash_report !== undefined) p.set('hash', net.driver.rss_hash_report === 'on');
    offloadProps(net, p);
    const d = net.driver ?? {};
    if (d.txmode === 'iothread') p.set('tx', 'bh');
    else if (d.txmode === 'timer') p.set('tx', 'timer');
    if (d.ioeventfd !== undefined) p.set('ioeventfd', d.ioeventfd === 'on');
    if (d.event_idx !== undefined) p.set('event_idx', d.event_idx === 'on');
    if (d.queues !== undefined && Number(d.queues) > 1) p.set('mq', true).set('vectors', 2 * Number(d.queues) + 2);
    if (d.rx_queue_size !== undefined) p.set('rx_queue_size', Number(d.rx_queue_size));
    if (d.tx_queue_size !== undefined) p.set('tx_queue_size', Number(d.tx_queue_size));
  }
  if (isVirtio && net.teaming?.type === 'persistent') p.set('failover', true);
  p.set('netdev', netdevId).set('id', alias).set('mac', net.mac.address);
  if (net.mtu !== undefined && isVirtio) p.set('host_mtu', net.mtu);
  p.set('bootindex', boot);
  s.usbAddressProps(p, net, net.info);
  romProps(p, net.info.rom);
  return p;
}

/** <rom>: bar on/off, a replacement ROM file, or no ROM at all (romfile=""). */
export function romProps(p: Props, rom: InterfaceDef['info']['rom']): void {
  if (!rom) return;
  if (rom.enabled === false) {
    p.set('romfile', '');
    return;
  }
  if (rom.bar !== undefined) p.set('rombar', rom.bar ? 1 : 0);
  if (rom.file !== undefined) p.set('romfile', rom.file);
}

/** <driver><host csum='off' …/><guest …/></driver>: virtio-net offload switches. */
function offloadProps(net: InterfaceDef, p: Props): void {
  const host = net.driverChildren?.find((c) => c.name === 'host')?.attrs ?? {};
  const guest = net.driverChildren?.find((c) => c.name === 'guest')?.attrs ?? {};
  const sw = (v: string | undefined) => (v === undefined ? undefined : v === 'on');
  p.set('csum', sw(host.csum)).set('gso', sw(host.gso));
  p.set('host_tso4', sw(host.tso4)).set('host_tso6', sw(host.tso6)).set('host_ecn', sw(host.ecn));
  p.set('host_ufo', sw(host.ufo)).set('mrg_rxbuf', sw(host.mrg_rxbuf));
  p.set('guest_csum', sw(guest.csum)).set('guest_tso4', sw(guest.tso4)).set('guest_tso6', sw(guest.tso6));
  p.set('guest_ecn', sw(guest.ecn)).set('guest_ufo', sw(guest.ufo));
}
