import { parseDomainXml } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { buildQemuCommandLine, formatArgvLines, formatNativeArgv, shellQuote } from '../src/index.js';
import { pcCaps } from './helpers/pc-caps.js';

const caps = pcCaps(['smp-dies', 'smp-clusters']);

const xml = `<domain type='qemu'>
  <name>tiny,one</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/tmp/my disk.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </disk>
    <controller type='pci' index='0' model='pci-root'/>
    <memballoon model='none'/>
  </devices>
</domain>`;

const ctx = {
  domainId: 7,
  libDir: '/srv/tsvirt/lib/domain-7-tiny,one',
  monitor: { path: '/srv/tsvirt/run/domain-7-tiny,one/monitor.sock' },
  env: { PATH: '/usr/bin', USER: 'qemu', LOGNAME: 'qemu' },
};

describe('buildQemuCommandLine', () => {
  const cmd = buildQemuCommandLine(parseDomainXml(xml, { defaultArch: 'x86_64' }), caps, ctx);

  it('takes paths, ids and the monitor from the context, not from test conventions', () => {
    expect(cmd.args).toContain('-uuid');
    expect(cmd.args[cmd.args.indexOf('-name') + 1]).toBe('guest=tiny,,one,debug-threads=on');
    expect(cmd.args[cmd.args.indexOf('-mon') - 1]).toBe(
      'socket,id=charmonitor,path=/srv/tsvirt/run/domain-7-tiny,,one/monitor.sock,server=on,wait=off',
    );
    expect(cmd.env).toContainEqual(['HOME', ctx.libDir]);
    expect(cmd.args.join(' ')).not.toContain('domain--1');
  });

  it('writes the disk as storage and format -blockdev nodes and a virtio-blk device', () => {
    const blockdevs = cmd.args.filter((_, i) => cmd.args[i - 1] === '-blockdev').map((a) => JSON.parse(a));
    expect(blockdevs).toEqual([
      {
        driver: 'file',
        filename: '/tmp/my disk.qcow2',
        'node-name': 'libvirt-1-storage',
        'auto-read-only': true,
        discard: 'unmap',
      },
      { 'node-name': 'libvirt-1-format', 'read-only': false, driver: 'qcow2', file: 'libvirt-1-storage' },
    ]);
  });

  it('formats libvirt .args layout and the one-line virsh domxml-to-native form', () => {
    const lines = formatArgvLines(cmd).split('\n');
    expect(lines[0]).toBe('LC_ALL=C \\');
    expect(lines).toContain('-name guest=tiny,,one,debug-threads=on \\');
    const native = formatNativeArgv(cmd);
    expect(native.startsWith('LC_ALL=C PATH=/usr/bin HOME=/srv/tsvirt/lib/domain-7-tiny,one USER=qemu')).toBe(true);
    expect(native).toContain(' -S -object \'{"qom-type":"secret"');
    expect(native.endsWith('-msg timestamp=on\n')).toBe(true);
  });
});

describe('shellQuote', () => {
  it('quotes only what the shell would split or expand', () => {
    expect(shellQuote('pc,usb=off')).toBe('pc,usb=off');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('{"a":1}')).toBe(`'{"a":1}'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
