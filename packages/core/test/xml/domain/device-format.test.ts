import { describe, expect, it } from 'vitest';
import { formatDeviceXml, parseDeviceXml } from '../../../src/index.js';

/** What a remote client sends for attach-device: the one element, formatted as inside <devices>. */
describe('formatDeviceXml', () => {
  const cases: [string, string][] = [
    [
      'a file disk',
      `<disk type='file' device='disk'>
  <driver name='qemu' type='qcow2'/>
  <source file='/var/lib/images/vdb.qcow2'/>
  <target dev='vdb' bus='virtio'/>
</disk>
`,
    ],
    [
      'a network interface',
      `<interface type='network'>
  <mac address='52:54:00:12:34:56'/>
  <source network='default'/>
  <model type='virtio'/>
</interface>
`,
    ],
  ];
  for (const [label, xml] of cases) {
    it(`writes ${label} as libvirt lays it out, and reads back the same device`, () => {
      const dev = parseDeviceXml(xml);
      const out = formatDeviceXml(dev);
      expect(out).toBe(xml);
      expect(parseDeviceXml(out)).toEqual(dev);
    });
  }

  it('adds no console next to a serial port', () => {
    const out = formatDeviceXml(parseDeviceXml("<serial type='pty'><target port='0'/></serial>"));
    expect(out).toMatch(/^<serial type='pty'>/);
    expect(out).not.toContain('<console');
  });
});
