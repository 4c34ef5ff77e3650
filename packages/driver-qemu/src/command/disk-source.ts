/** The protocol (storage) layer of a disk's -blockdev: local files and devices or network sources. */
import type { DiskDef } from '@tsvirt/core';
import { Props } from './props.js';

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21, ftps: 990, tftp: 69, ssh: 22 };

/** Props of the storage node up to (not including) node-name. */
/** `authSecretId` names the secret object holding the password (libvirt names it per user). */
export function storageProps(d: DiskDef, nodeName: string, authUser?: string, authSecretId?: string): Props {
  const src = d.source!;
  const p = new Props();
  if (d.type === 'network') {
    networkProps(d, nodeName, p, authUser, authSecretId ?? `${nodeName}-auth-secret0`);
    return p;
  }
  if (d.type === 'block')
    p.set('driver', d.device === 'cdrom' && src.path === '/dev/cdrom' ? 'host_cdrom' : 'host_device');
  else if (d.type === 'dir') {
    p.set('driver', 'vvfat').set('dir', src.path ?? '');
    p.set('floppy', d.device === 'floppy').set('rw', d.readonly !== true);
    return p;
  } else p.set('driver', 'file');
  p.set('filename', src.path ?? '');
  const io = d.driver?.io;
  if (io && io !== 'default') p.set('aio', io);
  return p;
}

function networkProps(d: DiskDef, nodeName: string, p: Props, authUser: string | undefined, secretId: string): void {
  const src = d.source!;
  const proto = src.protocol ?? 'nbd';
  const hosts = src.hosts ?? [];
  const h = hosts[0];
  const inet = (host: { name?: string; port?: number }, dflt?: number) => {
    const o: Record<string, string> = { host: host.name ?? '' };
    const port = host.port ?? dflt;
    if (port !== undefined) o.port = String(port);
    return o;
  };
  p.set('driver', proto);
  switch (proto) {
    case 'nbd': {
      if (h?.transport === 'unix') p.set('server', { type: 'unix', path: h.socket ?? '' });
      else p.set('server', { type: 'inet', ...inet(h ?? {}, 10809) });
      if (src.name) p.set('export', src.name);
      const reconnect = src.extra?.find((e) => e.name === 'reconnect');
      if (reconnect?.attrs.delay) p.set('reconnect-delay', Number(reconnect.attrs.delay));
      break;
    }
    case 'http':
    case 'https':
    case 'ftp':
    case 'ftps':
    case 'tftp': {
      const port = h?.port ?? DEFAULT_PORTS[proto];
      const name = src.name ?? '';
      const query = src.query ? `?${src.query}` : '';
      p.set('url', `${proto}://${h?.name ?? ''}:${port}${name.startsWith('/') ? '' : '/'}${name}${query}`);
      if (authUser !== undefined) p.set('username', authUser).set('password-secret', secretId);
      if (src.timeout !== undefined) p.set('timeout', src.timeout);
      if (src.readahead !== undefined) p.set('readahead', src.readahead);
      if (src.ssl) p.set('sslverify', src.ssl.verify);
      if (src.cookies?.length) p.set('cookie-secret', `${nodeName}-httpcookie-secret0`);
      break;
    }
    case 'iscsi': {
      const [target, lun] = splitIscsi(src.name ?? '');
      p.set('portal', `${h?.name ?? ''}:${h?.port ?? 3260}`)
        .set('target', target)
        .set('lun', lun);
      p.set('transport', h?.transport ?? 'tcp');
      if (authUser !== undefined) p.set('user', authUser).set('password-secret', secretId);
      const initiator = src.extra?.find((e) => e.name === 'initiator');
      const iqn = initiator?.nodes.find((x) => typeof x !== 'string' && x.name === 'iqn');
      if (iqn && typeof iqn !== 'string' && iqn.attrs.name) p.set('initiator-name', iqn.attrs.name);
      break;
    }
    case 'rbd': {
      const [pool, ...rest] = (src.name ?? '').split('/');
      const [image, snap] = rest.join('/').split('@');
      p.set('pool', pool ?? '').set('image', image ?? '');
      const snapEl = src.extra?.find((e) => e.name === 'snapshot');
      const snapName = snap ?? snapEl?.attrs.name;
      if (snapName) p.set('snapshot', snapName);
      if (hosts.length)
        p.set(
          'server',
          hosts.map((x) => inet(x)),
        );
      const conf = src.extra?.find((e) => e.name === 'config');
      if (conf?.attrs.file) p.set('conf', conf.attrs.file);
      if (authUser !== undefined) {
        p.set('user', authUser).set('auth-client-required', ['cephx', 'none']);
        p.set('key-secret', secretId);
      }
      break;
    }
    case 'ssh':
      p.set('path', src.name ?? '').set('server', inet(h ?? {}, 22));
      break;
    case 'nfs':
      p.set('server', { host: h?.name ?? '', type: 'inet' }).set('path', src.name ?? '');
      break;
    default:
      break;
  }
}

function splitIscsi(name: string): [string, number] {
  const i = name.lastIndexOf('/');
  if (i < 0) return [name, 0];
  return [name.slice(0, i), Number(name.slice(i + 1)) || 0];
}
