/** -chardev backends and the serial, parallel, channel and console devices using them. */
import type { ChrDevice, ChrSource } from '@tsvirt/core';
import { escapeComma, Props } from './props.js';
import type { BuildState } from './state.js';
import { tlsCredsX509 } from './tls-creds.js';

/** The -chardev value for a source; undefined for types without a backend. */
export function chardevArg(s: BuildState, id: string, src: ChrSource): string | undefined {
  const e = escapeComma;
  switch (src.type) {
    case 'null':
    case 'vc':
    case 'pty':
    case 'stdio':
      return `${src.type},id=${id}`;
    case 'file': {
      // libvirt opens the file itself and hands QEMU a descriptor in an fd set, always appending.
      const owner = id.replace(/^char/, '');
      return `file,id=${id},path=${fdset(s, `${owner}-source`)},append=on${logArgs(s, owner, src)}`;
    }
    case 'pipe':
      return `pipe,id=${id},path=${e(src.path ?? '')}`;
    case 'dev':
      return `${src.path?.startsWith('/dev/parport') ? 'parallel' : 'serial'},id=${id},path=${e(src.path ?? '')}`;
    case 'unix': {
      let v = `socket,id=${id}`;
      // Listening sockets (and those libvirt names itself) are created by libvirt and passed in.
      if (src.mode === 'bind' || !src.path) v += `,fd=${s.fd('chardev-socket', id)},server=on,wait=off`;
      else v += `,path=${e(src.path)}`;
      if (src.reconnect?.enabled) v += `,reconnect-ms=${(src.reconnect.timeout ?? 0) * 1000}`;
      return v;
    }
    case 'tcp': {
      let v = `socket,id=${id},host=${e(src.host ?? '')},port=${src.service ?? ''}`;
      if (src.protocol === 'telnet') v += ',telnet=on';
      if (src.mode === 'bind') v += ',server=on,wait=off';
      if (src.reconnect?.enabled) v += `,reconnect-ms=${(src.reconnect.timeout ?? 0) * 1000}`;
      // Without its own tls attribute a TCP chardev follows qemu.conf's chardev_tls.
      if (src.tls ?? s.ctx.conf?.chardevTls) {
        const conf = s.ctx.conf;
        const credsId = `obj${id}_tls0`;
        const dir = conf?.chardevTlsX509CertDir ?? '/etc/pki/libvirt-chardev';
        const endpoint = src.mode === 'bind' ? 'server' : 'client';
        s.object(tlsCredsX509(credsId, dir, endpoint, conf?.chardevTlsX509Verify ?? true));
        v += `,tls-creds=${credsId}`;
      }
      return v;
    }
    case 'udp': {
      let v = `udp,id=${id},host=${e(src.connectHost ?? '')},port=${src.connectService ?? ''}`;
      if (src.bindHost !== undefined) v += `,localaddr=${e(src.bindHost)}`;
      if (src.bindService !== undefined) v += `,localport=${src.bindService}`;
      return v;
    }
    case 'spicevmc':
      return `spicevmc,id=${id},name=${id.startsWith('charredir') ? 'usbredir' : id.startsWith('charsmartcard') ? 'smartcard' : 'vdagent'}`;
    case 'dbus':
      return `dbus,id=${id},name=${id.startsWith('charredir') ? 'org.qemu.usbredir' : e(src.channel ?? '')}`;
    case 'spiceport':
      return `spiceport,id=${id},name=${e(src.channel ?? '')}`;
    case 'qemu-vdagent': {
      let v = `qemu-vdagent,id=${id},name=vdagent`;
      const clip = src.extra?.find((x) => x.name === 'clipboard');
      const mouse = src.extra?.find((x) => x.name === 'mouse');
      if (clip?.attrs.copypaste) v += `,clipboard=${clip.attrs.copypaste === 'yes' ? 'on' : 'off'}`;
      if (mouse?.attrs.mode) v += `,mouse=${mouse.attrs.mode === 'client' ? 'on' : 'off'}`;
      return v;
    }
    default:
      return `${src.type},id=${id}`;
  }
}

/** Passes a descriptor in a new fd set (-add-fd) and returns the path QEMU opens it by. */
function fdset(s: BuildState, opaque: string): string {
  const set = s.nextFdSet++;
  s.add('-add-fd', `set=${set},fd=${s.fd('fdset', opaque)},opaque=${opaque}`);
  return `/dev/fdset/${set}`;
}

function logArgs(s: BuildState, owner: string, src: ChrSource): string {
  if (!src.log) return '';
  return `,logfile=${fdset(s, `${owner}-log`)},logappend=on`;
}

function addChardev(s: BuildState, id: string, src: ChrSource): void {
  const arg = chardevArg(s, id, src);
  if (arg !== undefined) s.add('-chardev', arg);
}

export function buildSerials(s: BuildState): void {
  for (const dev of s.def.devices.serials) {
    const alias = s.alias(dev);
    const charId = `char${alias}`;
    addChardev(s, charId, dev.source);
    const p = new Props();
    const model =
      dev.target.model ??
      (dev.target.type === 'usb-serial'
        ? 'usb-serial'
        : dev.target.type === 'pci-serial'
          ? 'pci-serial'
          : 'isa-serial');
    p.set('driver', model);
    if (model === 'isa-serial') {
      p.set('chardev', charId).set('id', alias);
      p.set('index', dev.target.port ?? 0);
      s.addressProps(p, dev.info);
    } else {
      p.set('chardev', charId).set('id', alias);
      s.addressProps(p, dev.info);
    }
    s.device(p);
  }
}

export function buildParallels(s: BuildState): void {
  for (const dev of s.def.devices.parallels) {
    const alias = s.alias(dev);
    addChardev(s, `char${alias}`, dev.source);
    s.device(new Props().set('driver', 'isa-parallel').set('chardev', `char${alias}`).set('id', alias));
  }
}

export function buildChannels(s: BuildState): void {
  for (const dev of s.def.devices.channels) {
    const alias = s.alias(dev);
    const charId = `char${alias}`;
    if (dev.target.type === 'guestfwd') {
      addChardev(s, charId, dev.source);
      const p = new Props()
        .set('type', 'user')
        .set('guestfwd', [{ str: `tcp:${dev.target.address}:${dev.target.port}-chardev:${charId}` }])
        .set('id', alias);
      s.add('-netdev', p.json());
      continue;
    }
    if (dev.target.type !== 'virtio') continue;
    addChardev(s, charId, dev.source);
    // A SPICE agent channel is named for the agent unless the user named it.
    const name = dev.target.name ?? (dev.source.type === 'spicevmc' ? 'com.redhat.spice.0' : undefined);
    s.device(virtioPort(s, dev, 'virtserialport', charId, alias, name));
  }
}

function virtioPort(
  s: BuildState,
  dev: ChrDevice,
  driver: string,
  charId: string,
  alias: string,
  name?: string,
): Props {
  const p = new Props().set('driver', driver);
  s.addressProps(p, dev.info);
  p.set('chardev', charId).set('id', alias);
  if (name !== undefined) p.set('name', name);
  return p;
}

export function buildConsoles(s: BuildState): void {
  s.def.devices.consoles.forEach((dev) => {
    if (dev.target.type !== 'virtio') return;
    const alias = s.alias(dev);
    const charId = `char${alias}`;
    addChardev(s, charId, dev.source);
    s.device(virtioPort(s, dev, 'virtconsole', charId, alias));
  });
}

/** USB redirection: a chardev and a usb-redir device, with the <redirfilter> rules. */
export function buildRedirdevs(s: BuildState, bootIndex: (dev: object) => number | undefined): void {
  const filter = redirFilter(s);
  for (const dev of s.def.devices.redirdevs) {
    const alias = s.alias(dev);
    addChardev(s, `char${alias}`, dev.source);
    const p = new Props().set('driver', 'usb-redir').set('chardev', `char${alias}`).set('id', alias);
    if (filter !== undefined) p.set('filter', filter);
    p.set('bootindex', bootIndex(dev));
    s.usbAddressProps(p, dev, dev.info);
    s.device(p);
  }
}

function redirFilter(s: BuildState): string | undefined {
  const el = s.def.devices.raw.redirfilter?.[0];
  if (!el) return undefined;
  const rules: string[] = [];
  for (const n of el.nodes) {
    if (typeof n === 'string' || n.name !== 'usbdev') continue;
    const a = n.attrs;
    const f = (v: string | undefined) => (v === undefined || v === '-1' ? '-1' : v);
    const version = a.version === undefined || a.version === '-1' ? '-1' : usbBcdVersion(a.version);
    rules.push(`${f(a.class)}:${f(a.vendor)}:${f(a.product)}:${version}:${a.allow === 'yes' ? 1 : 0}`);
  }
  return rules.join('|');
}

/**
 * A filter's "major.minor" USB version as QEMU wants it: binary-coded decimal, 0xMMmm. The minor
 * part counts hundredths, so a single digit is tens ("9.4" is 9.40, 0x0940).
 */
function usbBcdVersion(version: string): string {
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(version);
  if (!m) return version;
  const major = Number(m[1]);
  const minor = m[2]!.length === 1 ? Number(m[2]) * 10 : Number(m[2]);
  const bcd = (n: number) => `${Math.floor(n / 10)}${n % 10}`;
  return `0x${bcd(major)}${bcd(minor)}`;
}

/** Smartcards on a CCID bus: emulated from the host's NSS database or certificates, or passed through. */
export function buildSmartcards(s: BuildState): void {
  for (const sc of s.def.devices.smartcards) {
    const alias = s.alias(sc);
    const p = new Props();
    if (sc.mode === 'passthrough') {
      if (sc.source) addChardev(s, `char${alias}`, sc.source);
      p.set('driver', 'ccid-card-passthru').set('chardev', `char${alias}`);
    } else {
      p.set('driver', 'ccid-card-emulated');
      if (sc.mode === 'host-certificates') {
        p.set('backend', 'certificates');
        (sc.certificates ?? []).forEach((c, i) => {
          p.set(`cert${i + 1}`, c);
        });
        p.set('db', sc.database ?? '/etc/pki/nssdb');
      } else p.set('backend', 'nss-emulated');
    }
    p.set('id', alias);
    const a = sc.info.address;
    const index = a?.type === 'ccid' ? a.controller : 0;
    const ctrl = s.def.devices.controllers.find((c) => c.type === 'ccid' && c.index === index);
    p.set('bus', `${ctrl ? s.alias(ctrl) : `ccid${index}`}.0`);
    s.device(p);
  }
}
