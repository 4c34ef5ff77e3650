/**
 * The tc command lines, printed as libvirt's dry run prints them (virnetdevbandwidthtest sets
 * a device's bandwidth with `swapped`: guest inbound on the device's transmit side), and the
 * fallback runner against a fake tc that refuses what this kernel lacks.
 */
import { describe, expect, it } from 'vitest';
import { runTcSteps } from '../src/bandwidth/apply.js';
import { plugSteps, setSteps, unplugSteps, updateRateStep } from '../src/bandwidth/tc-commands.js';

const lines = (steps: { argv: readonly string[] }[]) => steps.map((s) => s.argv.join(' '));
const device = { hierarchical: false, swapped: true };

describe('tc commands', () => {
  it('sets a device as libvirt does', () => {
    expect(setSteps('eth0', undefined, device)).toEqual([]);
    expect(lines(setSteps('eth0', { inbound: { average: 1024 } }, device))).toEqual([
      'tc qdisc del dev eth0 root',
      'tc qdisc del dev eth0 ingress',
      'tc qdisc add dev eth0 root handle 1: htb default 1',
      'tc class add dev eth0 parent 1: classid 1:1 htb rate 1024kbps quantum 87',
      'tc qdisc add dev eth0 parent 1:1 handle 2: sfq perturb 10',
      'tc filter add dev eth0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1',
    ]);
    expect(lines(setSteps('eth0', { outbound: { average: 1024 } }, device))).toEqual([
      'tc qdisc del dev eth0 root',
      'tc qdisc del dev eth0 ingress',
      'tc qdisc add dev eth0 ingress',
      'tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 police rate 1024kbps burst 1024kb mtu 64kb drop flowid :1',
    ]);
    const all = { inbound: { average: 1, peak: 2, floor: 3, burst: 4 }, outbound: { average: 5, peak: 6, burst: 7 } };
    expect(lines(setSteps('eth0', all, device)).slice(2)).toEqual([
      'tc qdisc add dev eth0 root handle 1: htb default 1',
      'tc class add dev eth0 parent 1: classid 1:1 htb rate 1kbps ceil 2kbps burst 4kb quantum 1',
      'tc qdisc add dev eth0 parent 1:1 handle 2: sfq perturb 10',
      'tc filter add dev eth0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1',
      'tc qdisc add dev eth0 ingress',
      'tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 police rate 5kbps burst 7kb mtu 64kb drop flowid :1',
    ]);
    const max = { inbound: { average: 4294967295 }, outbound: { average: 4294967295 } };
    const big = lines(setSteps('eth0', max, device));
    expect(big).toContain('tc class add dev eth0 parent 1: classid 1:1 htb rate 4294967295kbps quantum 366503875');
    expect(big.at(-1)).toContain('police rate 4294967295kbps burst 4194303kb mtu 64kb');
  });

  it("builds a network bridge's hierarchy and the floor classes", () => {
    const net = { inbound: { average: 1000, peak: 2000 } };
    expect(lines(setSteps('virbr0', net, { hierarchical: true, swapped: true })).slice(2, 6)).toEqual([
      'tc qdisc add dev virbr0 root handle 1: htb default 2',
      'tc class add dev virbr0 parent 1: classid 1:1 htb rate 1000kbps ceil 2000kbps quantum 85',
      'tc class add dev virbr0 parent 1:1 classid 1:2 htb rate 1000kbps ceil 2000kbps quantum 85',
      'tc qdisc add dev virbr0 parent 1:2 handle 2: sfq perturb 10',
    ]);
    expect(lines(plugSteps('virbr0', net, '52:54:00:AB:CD:EF', { inbound: { floor: 300 } }, 10))).toEqual([
      'tc class add dev virbr0 parent 1:1 classid 1:a htb rate 300kbps ceil 2000kbps quantum 1',
      'tc qdisc add dev virbr0 parent 1:a handle a: sfq perturb 10',
      'tc filter add dev virbr0 protocol ip prio 2 handle 800::10 u32 match u16 0x0800 0xffff at -2 match u32 0x00abcdef 0xffffffff at -12 match u16 0x5254 0xffff at -14 flowid 1:a',
    ]);
    expect(lines(unplugSteps('virbr0', 10))).toEqual([
      'tc qdisc del dev virbr0 handle a:',
      'tc filter del dev virbr0 prio 2 handle 800::10 u32',
      'tc class del dev virbr0 classid 1:a',
    ]);
    expect(updateRateStep('virbr0', 2, net, 1700).argv.join(' ')).toBe(
      'tc class change dev virbr0 classid 1:2 htb rate 1700kbps ceil 2000kbps quantum 85',
    );
  });

  it('falls back where tc says the kernel lacks a module, and fails on anything else', async () => {
    const ran: string[] = [];
    const tc = async (argv: readonly string[]) => {
      const line = argv.join(' ');
      if (line.includes(' sfq ')) throw new Error(`${line}: Error: Specified qdisc kind is unknown.`);
      if (line.includes(' fw ')) throw new Error(`${line}: Error: TC classifier not found.`);
      if (line.includes(' police ')) throw new Error(`${line}: Error: Failed to load TC action module.`);
      if (line.includes('qdisc del')) throw new Error(`${line}: Error: Cannot delete qdisc with handle of zero.`);
      ran.push(line);
    };
    const warnings = await runTcSteps(
      setSteps('br0', { inbound: { average: 10 }, outbound: { average: 20 } }, { hierarchical: true, swapped: true }),
      tc,
    );
    expect(ran).toContain('tc qdisc add dev br0 parent 1:2 handle 2: pfifo');
    expect(ran.some((l) => / (sfq|fw|police) /.test(l))).toBe(false);
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/no police action: the ingress rate limit 20kbps on br0 is not enforced/);
    await expect(
      runTcSteps([{ argv: ['tc', 'class', 'add', 'dev', 'br0'], needs: 'sfq' }], async () => {
        throw new Error('RTNETLINK answers: File exists');
      }),
    ).rejects.toThrow(/File exists/);
  });
});
