/** Inputs, audio backends, video, sound, watchdog, balloon and RNG devices. */
import { isQ35 } from './aliases.js';
import { chardevArg } from './chardevs.js';
import { Props } from './props.js';
import { rawInfo } from './raw.js';
import type { BuildState } from './state.js';
import { virtioOptions, virtioVariant } from './virtio.js';

export function buildInputs(s: BuildState): void {
  for (const input of s.def.devices.inputs) {
    let driver: string | undefined;
    if (input.bus === 'usb')
      driver = { mouse: 'usb-mouse', tablet: 'usb-tablet', keyboard: 'usb-kbd' }[input.type as string];
    else if (input.bus === 'virtio')
      driver = { mouse: 'virtio-mouse-pci', tablet: 'virtio-tablet-pci', keyboard: 'virtio-keyboard-pci' }[
        input.type as string
      ];
    if (input.type === 'passthrough' || input.type === 'evdev') {
      const evdev = input.extra?.find((e) => e.name === 'source')?.attrs.evdev;
      if (input.type === 'passthrough') driver = virtioVariant('virtio-input-host-pci', input.model);
      const p = new Props().set('driver', driver ?? 'virtio-input-host-pci');
      virtioOptions(
        p,
        input.extra?.find((e) => e.name === 'driver'),
      );
      p.set('id', s.alias(input)).set('evdev', evdev);
      s.addressProps(p, input.info);
      s.device(p);
      continue;
    }
    if (!driver) continue;
    if (input.bus === 'virtio') driver = virtioVariant(driver, input.model);
    const p = new Props().set('driver', driver);
    if (input.bus === 'virtio')
      virtioOptions(
        p,
        input.extra?.find((e) => e.name === 'driver'),
      );
    p.set('id', s.alias(input));
    s.usbAddressProps(p, input, input.info);
    s.device(p);
  }
}

export function buildVideos(s: BuildState): void {
  s.def.devices.videos.forEach((v, i) => {
    const primary = i === 0;
    let driver: string | undefined;
    switch (v.type) {
      case 'cirrus':
        driver = 'cirrus-vga';
        break;
      case 'vga':
        driver = 'VGA';
        break;
      case 'qxl':
        driver = primary ? 'qxl-vga' : 'qxl';
        break;
      case 'virtio': {
        const gl = v.acceleration?.accel3d === true;
        driver = primary ? (gl ? 'virtio-vga-gl' : 'virtio-vga') : gl ? 'virtio-gpu-gl-pci' : 'virtio-gpu-pci';
        break;
      }
      case 'bochs':
        driver = 'bochs-display';
        break;
      case 'ramfb':
        driver = 'ramfb';
        break;
      case 'vmvga':
        driver = 'vmware-svga';
        break;
      default:
        driver = undefined;
    }
    if (!driver) return;
    const vhostUser = v.driver?.name === 'vhostuser';
    if (vhostUser) {
      driver = primary ? 'vhost-user-vga' : 'vhost-user-gpu-pci';
      s.add('-chardev', `socket,id=chr-vu-${s.alias(v)},fd=${s.fd('vhost-user', s.alias(v))}`);
    }
    const p = new Props().set('driver', driver);
    // The VGA-compatible vhost-user card is not a virtio device to QEMU.
    if (v.type === 'virtio' && driver !== 'vhost-user-vga') virtioOptions(p, v.driver);
    p.set('id', s.alias(v));
    if (vhostUser) {
      p.set('max_outputs', v.heads).set('chardev', `chr-vu-${s.alias(v)}`);
      s.addressProps(p, v.info);
      s.device(p);
      return;
    }
    if (v.type === 'qxl') {
      p.set('max_outputs', v.heads);
      if (v.ram !== undefined) p.set('ram_size', v.ram * 1024);
      if (v.vram !== undefined) p.set('vram_size', v.vram * 1024);
      p.set('vram64_size_mb', (v.vram64 ?? 0) / 1024);
      if (v.vgamem !== undefined) p.set('vgamem_mb', v.vgamem / 1024);
    } else if (v.type === 'vga' || v.type === 'vmvga') {
      // For these cards libvirt sizes video memory from vram.
      if (v.vram !== undefined) p.set('vgamem_mb', v.vram / 1024);
    } else if (v.type === 'virtio') {
      if (v.heads !== undefined) p.set('max_outputs', v.heads);
      if (v.blob !== undefined) p.set('blob', v.blob);
    } else if (v.type === 'bochs') {
      if (v.vram !== undefined) p.set('vgamem', v.vram * 1024);
    }
    s.addressProps(p, v.info);
    s.device(p);
  });
}

const SOUND_DRIVERS: Record<string, string> = {
  es1370: 'ES1370',
  ac97: 'AC97',
  ich6: 'intel-hda',
  ich7: 'intel-hda',
  ich9: 'ich9-intel-hda',
  sb16: 'sb16',
  usb: 'usb-audio',
  virtio: 'virtio-sound-pci',
};

export function buildSounds(s: BuildState): void {
  for (const snd of s.def.devices.sounds) {
    const driver = SOUND_DRIVERS[snd.model];
    if (!driver) continue;
    const alias = s.alias(snd);
    const p = new Props().set('driver', driver);
    if (snd.model === 'virtio') virtioOptions(p, snd.driver);
    p.set('id', alias);
    const audiodev = `audio${snd.audioId ?? 1}`;
    if (!driver.includes('hda')) p.set('audiodev', audiodev);
    if (snd.model === 'usb') p.set('multi', (snd as { multichannel?: boolean }).multichannel ?? true);
    const streams = (snd as { streams?: number }).streams;
    if (streams !== undefined) p.set('streams', streams);
    s.usbAddressProps(p, snd, snd.info);
    s.device(p);
    if (driver.includes('hda')) {
      const codecs = snd.codecs?.length ? snd.codecs : ['duplex'];
      codecs.forEach((c, j) => {
        s.device(
          new Props()
            .set('driver', `hda-${c}`)
            .set('id', `${alias}-codec${j}`)
            .set('bus', `${alias}.0`)
            .set('cad', j)
            .set('audiodev', audiodev),
        );
      });
    }
  }
}

export function buildWatchdogs(s: BuildState): void {
  const list = s.def.devices.raw.watchdog ?? [];
  list.forEach((w, i) => {
    const model = w.attrs.model;
    const alias = `watchdog${i}`;
    if (model === 'itco') {
      if (isQ35(s.def)) s.add('-global', 'ICH9-LPC.noreboot=off');
    } else if (model) {
      const p = new Props().set('driver', model).set('id', rawInfo(w).alias ?? alias);
      s.addressProps(p, rawInfo(w));
      s.device(p);
    }
  });
  const first = list[0];
  if (first) {
    let action = first.attrs.action ?? 'reset';
    if (action === 'dump') action = 'pause';
    s.add('-watchdog-action', action);
  }
}

export function buildMemballoon(s: BuildState): void {
  const b = s.def.devices.memballoon;
  if (!b || b.model === 'none') return;
  const p = new Props().set('driver', virtioVariant('virtio-balloon-pci', b.model));
  virtioOptions(p, b.driver);
  p.set('id', s.alias(b));
  if (b.autodeflate !== undefined) p.set('deflate-on-oom', b.autodeflate);
  if (b.freePageReporting !== undefined) p.set('free-page-reporting', b.freePageReporting);
  s.addressProps(p, b.info);
  s.device(p);
}

export function buildRngs(s: BuildState): void {
  for (const r of s.def.devices.rngs) {
    const alias = s.alias(r);
    const objId = `obj${alias}`;
    const obj = new Props();
    if (r.backend.model === 'egd' && r.backend.source) {
      const arg = chardevArg(s, `char${alias}`, r.backend.source);
      if (arg) s.add('-chardev', arg);
      obj.set('qom-type', 'rng-egd').set('id', objId).set('chardev', `char${alias}`);
    } else if (r.backend.model === 'builtin') obj.set('qom-type', 'rng-builtin').set('id', objId);
    else
      obj
        .set('qom-type', 'rng-random')
        .set('id', objId)
        .set('filename', r.backend.path ?? '/dev/urandom');
    s.object(obj);
    const p = new Props().set('driver', virtioVariant('virtio-rng-pci', r.model));
    virtioOptions(p, r.driver);
    p.set('rng', objId).set('id', alias);
    if (r.rate) p.set('max-bytes', r.rate.bytes).set('period', r.rate.period ?? 1000);
    s.addressProps(p, r.info);
    s.device(p);
  }
}

export function buildSandbox(s: BuildState): void {
  s.add('-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny');
}

export function buildMsg(s: BuildState): void {
  s.add('-msg', 'timestamp=on');
}
