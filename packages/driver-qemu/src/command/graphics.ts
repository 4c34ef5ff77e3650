/** -display, -vnc and -spice. */
import type { GraphicsDef } from '@tsvirt/core';
import { escapeComma } from './props.js';
import type { BuildState } from './state.js';
import { tlsCredsX509 } from './tls-creds.js';

/**
 * SDL needs the X display and its authority file in QEMU's environment; a VNC or SPICE server
 * using SASL needs the folder of its SASL configuration.
 */
export function displayEnvironment(s: BuildState): Array<[string, string]> {
  const env: Array<[string, string]> = [];
  const conf = s.ctx.conf;
  for (const g of s.def.devices.graphics) {
    if (g.type === 'vnc' && conf?.vncSasl) env.push(['SASL_CONF_PATH', conf.vncSaslDir ?? '/etc/sasl2']);
    if (g.type === 'spice' && conf?.spiceSasl) env.push(['SASL_CONF_PATH', conf.spiceSaslDir ?? '/etc/sasl2']);
    if (g.type !== 'sdl') continue;
    if (g.xauth) env.push(['XAUTHORITY', g.xauth]);
    if (g.display) env.push(['DISPLAY', g.display]);
  }
  return env;
}

type Listen =
  | { type: 'socket'; path: string }
  | { type: 'none' }
  | { type: 'address'; address: string | undefined }
  | { type: 'network'; address: string | undefined };

/**
 * Where a VNC or SPICE server listens once qemu.conf is applied: an address listen without an
 * address takes vnc_listen/spice_listen, or a socket in the domain's dir when the auto unix
 * socket option is on.
 */
function effectiveListen(s: BuildState, g: GraphicsDef): Listen {
  const l = g.listens[0];
  const vnc = g.type === 'vnc';
  if (l?.type === 'socket') return { type: 'socket', path: l.socket ?? `${s.ctx.libDir}/${g.type}.sock` };
  if (l?.type === 'none') return { type: 'none' };
  if (l?.type === 'network') return { type: 'network', address: l.address };
  if (l?.address) return { type: 'address', address: l.address };
  const conf = s.ctx.conf;
  if (vnc ? conf?.vncAutoUnixSocket : conf?.spiceAutoUnixSocket)
    return { type: 'socket', path: `${s.ctx.libDir}/${g.type}.sock` };
  return { type: 'address', address: (vnc ? conf?.vncListen : conf?.spiceListen) ?? '127.0.0.1' };
}

/** -display none when the guest has no graphics at all. */
export function buildDisplayNone(s: BuildState): void {
  if (s.def.devices.graphics.length === 0) s.add('-display', 'none');
}

function extra(g: GraphicsDef, name: string) {
  return g.extra?.filter((e) => e.name === name) ?? [];
}

/** The port a graphics device listens on: the configured one or one the caller allocated. */
function portOf(s: BuildState, g: GraphicsDef, which: 'port' | 'tlsPort'): number | undefined {
  const p = which === 'port' ? g.port : g.tlsPort;
  if (p !== undefined && p > 0) return p;
  if (which === 'port' && (g.autoport || p === -1)) return s.ctx.allocatePort?.(g.type) ?? 5900;
  return undefined;
}

function hostPart(addr: string): string {
  return addr.includes(':') ? `[${addr}]` : addr;
}

function renderNode(g: GraphicsDef): string | undefined {
  const gl = extra(g, 'gl')[0];
  if (gl?.attrs.enable !== 'yes') return undefined;
  return gl.attrs.rendernode;
}

export function buildGraphics(s: BuildState): void {
  for (const g of s.def.devices.graphics) {
    switch (g.type) {
      case 'sdl': {
        const gl = extra(g, 'gl')[0];
        if (g.fullscreen) s.add('-full-screen');
        s.add('-display', gl?.attrs.enable === 'yes' ? 'sdl,gl=on' : 'sdl');
        break;
      }
      case 'egl-headless': {
        const gl = extra(g, 'gl')[0];
        const node = gl?.attrs.rendernode ?? s.ctx.defaultRenderNode;
        s.add('-display', node ? `egl-headless,rendernode=${node}` : 'egl-headless');
        break;
      }
      case 'vnc':
        buildVnc(s, g);
        break;
      case 'spice':
        buildSpice(s, g);
        break;
      case 'dbus': {
        let v = 'dbus';
        if (g.p2p) v += ',p2p=on';
        else
          v += `,addr=${g.dbusAddress ?? `unix:path=${s.ctx.stateDir ?? ''}/dbus/${s.ctx.domainId}-${s.def.name}-dbus.sock`}`;
        const gl = extra(g, 'gl')[0];
        if (gl?.attrs.enable === 'yes') {
          v += ',gl=on';
          const node = gl.attrs.rendernode ?? s.ctx.defaultRenderNode;
          if (node) v += `,rendernode=${node}`;
        }
        const audio = extra(g, 'audio')[0];
        if (audio?.attrs.id) v += `,audiodev=audio${audio.attrs.id}`;
        s.add('-display', v);
        break;
      }
      default:
        break;
    }
  }
}

function buildVnc(s: BuildState, g: GraphicsDef): void {
  const l = effectiveListen(s, g);
  const conf = s.ctx.conf;
  let v: string;
  if (l.type === 'socket') v = `vnc=unix:${escapeComma(l.path)}`;
  else if (l.type === 'none') v = 'none';
  else {
    const port = portOf(s, g, 'port') ?? 5900;
    v = `${hostPart(l.address ?? '127.0.0.1')}:${port - 5900}`;
    if (g.websocket !== undefined) v += `,websocket=${g.websocket}`;
  }
  if (g.sharePolicy) v += `,share=${g.sharePolicy}`;
  if (g.powerControl) v += ',power-control=on';
  if (g.auth.passwd !== undefined) v += ',password=on';
  if (conf?.vncTls) {
    const id = 'vnc-tls-creds0';
    s.object(
      tlsCredsX509(id, conf.vncTlsX509CertDir ?? '/etc/pki/libvirt-vnc', 'server', conf.vncTlsX509Verify ?? true),
    );
    v += `,tls-creds=${id}`;
  }
  if (conf?.vncSasl) v += ',sasl=on';
  const audio = extra(g, 'audio')[0];
  v += `,audiodev=audio${audio?.attrs.id ?? '1'}`;
  s.add('-vnc', v);
}

const SPICE_COMPRESSION: Record<string, string> = {
  image: 'image-compression',
  jpeg: 'jpeg-wan-compression',
  zlib: 'zlib-glz-wan-compression',
  playback: 'playback-compression',
};

function buildSpice(s: BuildState, g: GraphicsDef): void {
  const parts: string[] = [];
  const l = effectiveListen(s, g);
  if (l.type === 'socket') parts.push('unix=on', `addr=${escapeComma(l.path)}`);
  else if (l.type === 'none') parts.push('port=0');
  else {
    const port = portOf(s, g, 'port');
    const tlsPort = portOf(s, g, 'tlsPort');
    if (port !== undefined) parts.push(`port=${port}`);
    if (tlsPort !== undefined) parts.push(`tls-port=${tlsPort}`);
    // Without a port QEMU listens nowhere, so no address is given either.
    if (port === undefined && tlsPort === undefined) parts.push('port=0');
    else if (l.address) parts.push(`addr=${l.address}`);
  }
  if (s.ctx.conf?.spiceSasl) parts.push('sasl=on');
  const tlsPort = l.type === 'socket' || l.type === 'none' ? undefined : portOf(s, g, 'tlsPort');
  const mouse = extra(g, 'mouse')[0];
  if (mouse?.attrs.mode) parts.push(`agent-mouse=${mouse.attrs.mode === 'client' ? 'on' : 'off'}`);
  if (tlsPort !== undefined) parts.push(`x509-dir=${s.ctx.spiceTlsDir ?? '/etc/pki/libvirt-spice'}`);
  if (g.defaultMode === 'secure') parts.push('tls-channel=default');
  else if (g.defaultMode === 'insecure') parts.push('plaintext-channel=default');
  for (const ch of extra(g, 'channel')) {
    if (ch.attrs.mode === 'secure') parts.push(`tls-channel=${ch.attrs.name}`);
    else if (ch.attrs.mode === 'insecure') parts.push(`plaintext-channel=${ch.attrs.name}`);
  }
  for (const [el, opt] of Object.entries(SPICE_COMPRESSION)) {
    const c = extra(g, el)[0];
    if (c?.attrs.compression) parts.push(`${opt}=${c.attrs.compression}`);
  }
  const streaming = extra(g, 'streaming')[0];
  if (streaming?.attrs.mode) parts.push(`streaming-video=${streaming.attrs.mode}`);
  if (extra(g, 'clipboard')[0]?.attrs.copypaste === 'no') parts.push('disable-copy-paste=on');
  if (extra(g, 'filetransfer')[0]?.attrs.enable === 'no') parts.push('disable-agent-file-xfer=on');
  const gl = extra(g, 'gl')[0];
  if (gl?.attrs.enable === 'yes') {
    parts.push('gl=on');
    const node = renderNode(g) ?? s.ctx.defaultRenderNode;
    if (node) parts.push(`rendernode=${escapeComma(node)}`);
  }
  parts.push('seamless-migration=on');
  s.add('-spice', parts.join(','));
}
