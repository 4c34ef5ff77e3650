/**
 * The tc commands libvirt runs for <bandwidth>, as argument vectors: the root htb tree on a
 * device (classes 1:1 and 1:2 on a network's bridge), the ingress policer, and the per-port
 * classes that guarantee a guest's `floor`. Rates are KiB/s as in the XML ("kbps" to tc).
 * A step names the kernel part it needs, so the runner can fall back when the kernel lacks it.
 */

import type { Argv } from '../firewall/types.js';
import type { Bandwidth, BandwidthRate } from '../model.js';

/** Kernel modules libvirt's commands use that a kernel may be built without. */
export type TcFeature = 'sfq' | 'fw' | 'police';

export interface TcStep {
  readonly argv: Argv;
  /** Failure is expected and ignored (clearing what may not be there). */
  readonly mayFail?: boolean;
  /** The kernel part this step needs; when it is missing `fallback` runs instead (or nothing). */
  readonly needs?: TcFeature;
  readonly fallback?: Argv;
}

const kbps = (n: number): string => `${n}kbps`;
const kb = (n: number): string => `${n}kb`;

/** htb's quantum: bytes per round, derived from the rate over an MTU of 1500 (at least 1). */
export function quantum(rate: BandwidthRate | undefined): string[] {
  const r2q = Math.floor(((rate?.average ?? 0) * 1024) / 8 / 1500);
  return ['quantum', String(r2q > 0 ? r2q : 1)];
}

/** `tc class add dev DEV parent PARENT classid ID htb ARGS…`. */
function htbClass(dev: string, parent: string, classid: string, args: string[]): TcStep {
  return { argv: ['tc', 'class', 'add', 'dev', dev, 'parent', parent, 'classid', classid, 'htb', ...args] };
}

/** A leaf qdisc: libvirt's stochastic-fairness queue, a plain fifo where sfq is missing. */
function leafQdisc(dev: string, parent: string, handle: string): TcStep {
  return {
    argv: ['tc', 'qdisc', 'add', 'dev', dev, 'parent', parent, 'handle', handle, 'sfq', 'perturb', '10'],
    needs: 'sfq',
    fallback: ['tc', 'qdisc', 'add', 'dev', dev, 'parent', parent, 'handle', handle, 'pfifo'],
  };
}

export function clearSteps(dev: string): TcStep[] {
  return [
    { argv: ['tc', 'qdisc', 'del', 'dev', dev, 'root'], mayFail: true },
    { argv: ['tc', 'qdisc', 'del', 'dev', dev, 'ingress'], mayFail: true },
  ];
}

export interface SetOptions {
  /** A network's bridge: class 1:1 caps the whole, 1:2 takes the traffic without a floor. */
  readonly hierarchical: boolean;
  /** The device faces the guest (a tap, a bridge): guest inbound is the device's transmit side. */
  readonly swapped: boolean;
}

/** Everything virNetDevBandwidthSet runs for `bw` on `dev` (clearing first); [] without limits. */
export function setSteps(dev: string, bw: Bandwidth | undefined, opts: SetOptions): TcStep[] {
  if (!bw) return [];
  const rx = opts.swapped ? bw.outbound : bw.inbound;
  const tx = opts.swapped ? bw.inbound : bw.outbound;
  const steps = clearSteps(dev);
  if (tx?.average) {
    const average = kbps(tx.average);
    const h = opts.hierarchical;
    steps.push({ argv: ['tc', 'qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', h ? '2' : '1'] });
    if (h) {
      const ceil = tx.peak ? kbps(tx.peak) : average;
      steps.push(htbClass(dev, '1:', '1:1', ['rate', average, 'ceil', ceil, ...quantum(tx)]));
    }
    steps.push(
      htbClass(dev, h ? '1:1' : '1:', h ? '1:2' : '1:1', [
        'rate',
        average,
        ...(tx.peak ? ['ceil', kbps(tx.peak)] : []),
        ...(tx.burst ? ['burst', kb(tx.burst)] : []),
        ...quantum(tx),
      ]),
    );
    steps.push(leafQdisc(dev, h ? '1:2' : '1:1', '2:'));
    steps.push({
      argv: [
        'tc',
        'filter',
        'add',
        'dev',
        dev,
        'parent',
        '1:0',
        'protocol',
        'all',
        'prio',
        '1',
        'handle',
        '1',
        'fw',
        'flowid',
        '1',
      ],
      needs: 'fw',
    });
  }
  if (rx?.average) {
    // tc keeps a burst in a 32-bit byte count: the default burst (one second) is capped to fit.
    const burst = rx.burst ?? Math.min(rx.average, Math.floor(0xffffffff / 1024));
    steps.push({ argv: ['tc', 'qdisc', 'add', 'dev', dev, 'ingress'] });
    steps.push({
      argv: [
        'tc',
        'filter',
        'add',
        'dev',
        dev,
        'parent',
        'ffff:',
        'protocol',
        'all',
        'u32',
        'match',
        'u32',
        '0',
        '0',
        'police',
        'rate',
        kbps(rx.average),
        'burst',
        kb(burst),
        'mtu',
        '64kb',
        'drop',
        'flowid',
        ':1',
      ],
      needs: 'police',
    });
  }
  return steps;
}

const classId = (id: number): string => `1:${id.toString(16)}`;
const qdiscId = (id: number): string => `${id.toString(16)}:`;

/** The inbound ceiling of a network: its peak, else its average. */
export function networkCeil(net: Bandwidth): number {
  return net.inbound?.peak || net.inbound?.average || 0;
}

/** A u32 filter sending frames for `mac` (IPv4) into class 1:`id`; libvirt's handle 800::id. */
function macFilter(bridge: string, mac: string, id: number): Argv {
  const b = mac.split(':');
  const low = `0x${b.slice(2).join('')}`;
  const high = `0x${b.slice(0, 2).join('')}`;
  return [
    'tc',
    'filter',
    'add',
    'dev',
    bridge,
    'protocol',
    'ip',
    'prio',
    '2',
    'handle',
    `800::${id}`,
    'u32',
    'match',
    'u16',
    '0x0800',
    '0xffff',
    'at',
    '-2',
    'match',
    'u32',
    low,
    '0xffffffff',
    'at',
    '-12',
    'match',
    'u16',
    high,
    '0xffff',
    'at',
    '-14',
    'flowid',
    classId(id),
  ];
}

/** virNetDevBandwidthPlug: a guest's guaranteed class 1:id under 1:1, its leaf, its MAC filter. */
export function plugSteps(bridge: string, net: Bandwidth, mac: string, port: Bandwidth, id: number): TcStep[] {
  const floor = port.inbound?.floor ?? 0;
  return [
    htbClass(bridge, '1:1', classId(id), [
      'rate',
      kbps(floor),
      'ceil',
      kbps(networkCeil(net)),
      ...quantum(port.inbound),
    ]),
    leafQdisc(bridge, classId(id), qdiscId(id)),
    { argv: macFilter(bridge, mac.toLowerCase(), id) },
  ];
}

/** virNetDevBandwidthUnplug: leaf, filter and class of 1:id removed (carrying on past failures). */
export function unplugSteps(bridge: string, id: number): TcStep[] {
  return [
    { argv: ['tc', 'qdisc', 'del', 'dev', bridge, 'handle', qdiscId(id)], mayFail: true },
    { argv: ['tc', 'filter', 'del', 'dev', bridge, 'prio', '2', 'handle', `800::${id}`, 'u32'], mayFail: true },
    { argv: ['tc', 'class', 'del', 'dev', bridge, 'classid', classId(id)], mayFail: true },
  ];
}

/** virNetDevBandwidthUpdateRate: class 1:`id` gets a new rate (the ceiling stays the network's). */
export function updateRateStep(bridge: string, id: number, net: Bandwidth, rate: number): TcStep {
  return {
    argv: [
      'tc',
      'class',
      'change',
      'dev',
      bridge,
      'classid',
      classId(id),
      'htb',
      'rate',
      kbps(rate),
      'ceil',
      kbps(networkCeil(net)),
      ...quantum(net.inbound),
    ],
  };
}
