/** -display, -vnc and -spice. */
import type { BuildState } from './state.js';

export function buildDisplayNone(s: BuildState): void {
  if (s.def.devices.graphics.length === 0) s.add('-display', 'none');
}

export function buildGraphics(s: BuildState): void {
  for (const g of s.def.devices.graphics) {
    switch (g.type) {
      case 'sdl':
        s.add('-display', g.fullscreen ? 'sdl' : 'sdl');
        if (g.fullscreen) s.add('-full-screen');
        break;
      case 'egl-headless':
        s.add('-display', 'egl-headless');
        break;
      case 'vnc': {
        const l = g.listens[0];
        let v: string;
        if (l?.type === 'socket') v = `unix:${l.socket ?? ''}`;
        else v = `${l?.address ?? '127.0.0.1'}:${(g.port ?? 5900) - 5900}`;
        s.add('-vnc', `${v},audiodev=audio1`);
        break;
      }
      default:
        break;
    }
  }
}
