/**
 * Command-line options that follow a source attribute, qemu.conf or the caller's context: each
 * case is a small domain whose command line must carry libvirt's spelling of the option.
 */
import { parseDomainXml } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import type { QemuBuildContext } from '../src/command/context.js';
import { buildQemuCommandLine, parseQemuDomainXml } from '../src/index.js';
import { pcCaps } from './helpers/pc-caps.js';

const caps = pcCaps(['smp-dies', 'smp-clusters', 'piix3-usb-uhci']);

const baseCtx: QemuBuildContext = {
  domainId: 3,
  libDir: '/srv/lib/domain-3-g',
  monitor: { path: '/srv/run/domain-3-g/monitor.sock' },
  secrets: {
    masterKey: new Uint8Array(32),
    randomIv: () => new Uint8Array(16),
    lookup: () => new TextEncoder().encode('pw'),
  },
  passFd: () => 40,
};

function build(devices: string, ctx: Partial<QemuBuildContext> = {}, top = '<vcpu>1</vcpu>', flags = caps.flags) {
  const xml = `<domain type='qemu'>
  <name>g</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>65536</memory>
  ${top}
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pci-root'/>
    ${devices}
    <memballoon model='none'/>
  </devices>
</domain>`;
  return buildQemuCommandLine(
    parseDomainXml(xml, { defaultArch: 'x86_64' }),
    { ...caps, flags },
    { ...baseCtx, ...ctx },
  );
}

/** The values following each occurrence of an option. */
function valuesOf(args: readonly string[], option: string): string[] {
  return args.filter((_, i) => args[i - 1] === option);
}

describe('disk sources', () => {
  it("keeps an HTTP source's query string in the URL", () => {
    const cmd = build(`<disk type='network' device='cdrom'>
      <source protocol='https' name='/img.iso' query='a=1&amp;b=2'><host name='example.org'/></source>
      <target dev='hdc' bus='ide'/><readonly/>
    </disk>`);
    const storage = valuesOf(cmd.args, '-blockdev').map((a) => JSON.parse(a))[0];
    expect(storage.url).toBe('https://example.org:443/img.iso?a=1&b=2');
  });
});

describe('NBD over TLS', () => {
  const disk = (tls: string) => `<disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='nbd'${tls} tlsHostname='nbd.example'><host name='example.com' port='1234'/></source>
      <target dev='vda' bus='virtio'/>
    </disk>`;

  it('gives the NBD client TLS credentials with a password secret and the host name to check', () => {
    const cmd = build(disk(" tls='yes'"), { conf: { nbdTlsX509SecretUuid: '6fd3f62d-9fe7-4a4e-a869-7acd6376d8ea' } });
    const objects = valuesOf(cmd.args, '-object').map((a) => JSON.parse(a));
    expect(objects.map((o) => o.id)).toContain('objlibvirt-1-storage_tls0-secret0');
    expect(objects.find((o) => o['qom-type'] === 'tls-creds-x509')).toEqual({
      'qom-type': 'tls-creds-x509',
      id: 'objlibvirt-1-storage_tls0',
      dir: '/etc/pki/libvirt-nbd',
      endpoint: 'client',
      'verify-peer': true,
      passwordid: 'objlibvirt-1-storage_tls0-secret0',
    });
    const storage = JSON.parse(valuesOf(cmd.args, '-blockdev')[0]!);
    expect(storage).toMatchObject({ 'tls-creds': 'objlibvirt-1-storage_tls0', 'tls-hostname': 'nbd.example' });
  });

  it('stays plain without tls', () => {
    const cmd = build(disk(''));
    expect(JSON.parse(valuesOf(cmd.args, '-blockdev')[0]!)['tls-creds']).toBeUndefined();
  });
});

describe('USB redirection filter', () => {
  it('writes rule versions as binary-coded decimal, a one-digit minor counting tens', () => {
    const cmd = build(`<controller type='usb' index='0' model='piix3-uhci'/>
    <redirdev bus='usb' type='spicevmc'/>
    <redirfilter>
      <usbdev class='0x08' vendor='0x15E1' product='0x2007' version='1.09' allow='yes'/>
      <usbdev class='0x08' vendor='0x15E1' product='0x2007' version='9.4' allow='yes'/>
      <usbdev allow='no'/>
    </redirfilter>`);
    const redir = valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .find((d) => d.driver === 'usb-redir');
    expect(redir.filter).toBe('0x08:0x15E1:0x2007:0x0109:1|0x08:0x15E1:0x2007:0x0940:1|-1:-1:-1:-1:0');
  });
});

describe('vsock', () => {
  it('gives an auto CID vsock the context id the caller found', () => {
    const cmd = build("<vsock model='virtio'><cid auto='yes'/></vsock>", { vsockAutoCid: () => 7 });
    const vsock = valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .find((d) => d.driver === 'vhost-vsock-pci');
    expect(vsock['guest-cid']).toBe(7);
  });
});

describe('graphics and qemu.conf', () => {
  const vnc = "<graphics type='vnc' port='5903' autoport='no'><listen type='address' address='127.0.0.1'/></graphics>";

  it('adds TLS credentials, SASL and the SASL config path for VNC when qemu.conf asks', () => {
    const cmd = build(vnc, { conf: { vncTls: true, vncSasl: true } });
    expect(valuesOf(cmd.args, '-object').map((a) => JSON.parse(a))).toContainEqual({
      'qom-type': 'tls-creds-x509',
      id: 'vnc-tls-creds0',
      dir: '/etc/pki/libvirt-vnc',
      endpoint: 'server',
      'verify-peer': true,
    });
    expect(valuesOf(cmd.args, '-vnc')).toEqual(['127.0.0.1:3,tls-creds=vnc-tls-creds0,sasl=on,audiodev=audio1']);
    expect(cmd.env).toContainEqual(['SASL_CONF_PATH', '/etc/sasl2']);
  });

  it('leaves them out by default', () => {
    const cmd = build(vnc);
    expect(valuesOf(cmd.args, '-vnc')).toEqual(['127.0.0.1:3,audiodev=audio1']);
    expect(cmd.env.map(([k]) => k)).not.toContain('SASL_CONF_PATH');
  });

  it('listens on spice_listen when a SPICE port is set without an address', () => {
    const cmd = build("<graphics type='spice' port='5900' autoport='no'/>");
    expect(valuesOf(cmd.args, '-spice')).toEqual(['port=5900,addr=127.0.0.1,seamless-migration=on']);
  });

  it('turns an address-less listen into a socket in the domain dir with the auto unix socket option', () => {
    const cmd = build("<graphics type='spice' autoport='yes'><listen type='address'/></graphics>", {
      conf: { spiceAutoUnixSocket: true },
    });
    expect(valuesOf(cmd.args, '-spice')).toEqual(['unix=on,addr=/srv/lib/domain-3-g/spice.sock,seamless-migration=on']);
  });
});

describe('chardev TLS', () => {
  const serial = `<serial type='tcp'>
      <source mode='connect' host='127.0.0.1' service='5555'/><protocol type='raw'/><target port='0'/>
    </serial>`;

  it('protects a TCP chardev with client credentials when chardev_tls is on', () => {
    const cmd = build(serial, { conf: { chardevTls: true } });
    expect(valuesOf(cmd.args, '-chardev')).toContain(
      'socket,id=charserial0,host=127.0.0.1,port=5555,tls-creds=objcharserial0_tls0',
    );
    const creds = valuesOf(cmd.args, '-object')
      .map((a) => JSON.parse(a))
      .find((o) => o['qom-type'] === 'tls-creds-x509');
    expect(creds).toEqual({
      'qom-type': 'tls-creds-x509',
      id: 'objcharserial0_tls0',
      dir: '/etc/pki/libvirt-chardev',
      endpoint: 'client',
      'verify-peer': true,
    });
  });

  it('keeps it plain otherwise', () => {
    const cmd = build(serial);
    expect(valuesOf(cmd.args, '-chardev')).toContain('socket,id=charserial0,host=127.0.0.1,port=5555');
  });
});

describe('thread-context for preallocated memory', () => {
  const top = (cpuset: string) => `<memoryBacking><hugepages/></memoryBacking>
  <vcpu placement='static'${cpuset}>2</vcpu>
  <numatune><memory mode='strict' nodeset='1-2'/></numatune>
  <cpu><numa><cell id='0' cpus='0-1' memory='65536' unit='KiB'/></numa></cpu>`;
  const ctx: Partial<QemuBuildContext> = {
    hugetlbfs: [{ sizeKiB: 2048, dir: '/dev/hugepages', isDefault: true }],
    hostNumaNodes: [0, 1, 2].map((id) => ({ id, cpus: [id * 2, id * 2 + 1] })),
  };
  const withTc = new Set([...caps.flags, 'thread-context']);
  const objects = (cmd: { args: readonly string[] }) => valuesOf(cmd.args, '-object').map((a) => JSON.parse(a));

  it('gives a preallocated backend bound to host nodes a context with their affinity', () => {
    const objs = objects(build('', ctx, top(''), withTc));
    const tc = objs.findIndex((o) => o['qom-type'] === 'thread-context');
    expect(objs[tc]).toEqual({ 'qom-type': 'thread-context', id: 'tc-ram-node0', 'node-affinity': [1, 2] });
    expect(objs[tc + 1]).toMatchObject({ id: 'ram-node0', prealloc: true, 'prealloc-context': 'tc-ram-node0' });
  });

  it('narrows the affinity to the nodes of the pinned emulator CPUs, and drops it when none is left', () => {
    const narrowed = objects(build('', ctx, top(" cpuset='0,4'"), withTc));
    expect(narrowed.find((o) => o['qom-type'] === 'thread-context')['node-affinity']).toEqual([2]);
    const none = objects(build('', ctx, top(" cpuset='0-1'"), withTc));
    expect(none.some((o) => o['qom-type'] === 'thread-context')).toBe(false);
  });

  it('needs the QEMU capability', () => {
    expect(objects(build('', ctx, top('')))).not.toContainEqual(
      expect.objectContaining({ 'qom-type': 'thread-context' }),
    );
  });
});

describe('clock', () => {
  const now = () => Date.UTC(2009, 1, 13, 23, 31, 30);

  it('starts a localtime-based variable clock from the host local time plus the adjustment', () => {
    const top = "<vcpu>1</vcpu><clock offset='variable' adjustment='3600' basis='localtime'/>";
    const cmd = build('', { now, utcOffsetSeconds: () => -1800 }, top);
    expect(valuesOf(cmd.args, '-rtc')).toEqual(['base=2009-02-14T00:01:30']);
  });

  it('ignores the local zone for a UTC-based one', () => {
    const top = "<vcpu>1</vcpu><clock offset='variable' adjustment='3600' basis='utc'/>";
    const cmd = build('', { now, utcOffsetSeconds: () => -1800 }, top);
    expect(valuesOf(cmd.args, '-rtc')).toEqual(['base=2009-02-14T00:31:30']);
  });
});

describe('vCPUs at start-up', () => {
  const top = `<vcpu placement='static' current='3'>4</vcpu>
  <vcpus>
    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>
    <vcpu id='1' enabled='yes' hotpluggable='yes' order='2'/>
    <vcpu id='2' enabled='yes' hotpluggable='yes' order='3'/>
    <vcpu id='3' enabled='no' hotpluggable='yes'/>
  </vcpus>`;

  it('starts with the fixed vCPUs only when the caller plugs the hotpluggable ones', () => {
    expect(valuesOf(build('', { plugsHotpluggableVcpus: true }, top).args, '-smp')[0]).toMatch(/^1,maxcpus=4,/);
    expect(valuesOf(build('', {}, top).args, '-smp')[0]).toMatch(/^3,maxcpus=4,/);
  });
});

describe('disk serials and SD cards', () => {
  it('escapes blanks in a serial and keeps an SD card on -drive without a node number', () => {
    const cmd = build(`<disk type='file' device='disk'>
      <source file='/img/a'/><target dev='vda' bus='virtio'/><serial>  AB 1</serial>
    </disk>
    <disk type='file' device='disk'><source file='/img/card,1'/><target dev='sdb' bus='sd'/></disk>`);
    const dev = valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .find((d) => d.driver === 'virtio-blk-pci');
    expect(dev.serial).toBe('\\ \\ AB\\ 1');
    expect(dev.drive).toBe('libvirt-1-storage');
    expect(valuesOf(cmd.args, '-drive')).toEqual(['file=/img/card,,1,format=raw,if=sd,index=1']);
  });
});

describe('network and shared memory descriptors', () => {
  it('passes one tap and one vhost-net descriptor per queue of a multiqueue NIC', () => {
    let next = 10;
    const cmd = build(
      `<interface type='ethernet'><mac address='52:54:00:e5:48:58'/><model type='virtio'/>
        <driver name='vhost' queues='3'/></interface>`,
      { passFd: () => next++ },
    );
    expect(JSON.parse(valuesOf(cmd.args, '-netdev')[0]!)).toMatchObject({
      type: 'tap',
      fds: '10:11:12',
      vhost: true,
      vhostfds: '13:14:15',
    });
  });

  it("writes an ivshmem doorbell's server socket after the device", () => {
    const cmd = build(`<shmem name='sh0'><model type='ivshmem-doorbell'/><server path='/tmp/sh0-sock'/></shmem>`);
    const dev = cmd.args.findIndex((a) => a.includes('"ivshmem-doorbell"'));
    expect(cmd.args.slice(dev + 1, dev + 3)).toEqual(['-chardev', 'socket,id=charshmem0,path=/tmp/sh0-sock']);
  });
});

describe('USB hubs added at start-up', () => {
  const inputs = (n: number) => Array.from({ length: n }, () => "<input type='tablet' bus='usb'/>").join('\n');
  const usbDevices = (cmd: { args: readonly string[] }) =>
    valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .filter((d) => d.bus === 'usb.0')
      .map((d) => `${d.id}@${d.port}`);

  it('adds a hub before the devices when they outnumber the controller ports', () => {
    const cmd = build(`<controller type='usb' index='0' model='piix3-uhci'/>${inputs(3)}`);
    expect(usbDevices(cmd)).toEqual(['hub0@1', 'input0@2', 'input1@1.1', 'input2@1.2']);
  });

  it('adds none while the ports suffice', () => {
    const cmd = build(`<controller type='usb' index='0' model='piix3-uhci'/>${inputs(2)}`);
    expect(usbDevices(cmd)).toEqual(['input0@1', 'input1@2']);
  });
});

describe('TPM passthrough', () => {
  it('passes the host TPM and its cancel file in fd sets', () => {
    let next = 30;
    const cmd = build("<tpm model='tpm-crb'><backend type='passthrough'><device path='/dev/tpm0'/></backend></tpm>", {
      passFd: () => next++,
    });
    expect(valuesOf(cmd.args, '-add-fd')).toEqual(['set=0,fd=30,opaque=tpm0-tpm', 'set=1,fd=31,opaque=tpm0-cancel']);
    expect(valuesOf(cmd.args, '-tpmdev')).toEqual([
      'passthrough,id=tpm-tpm0,path=/dev/fdset/0,cancel-path=/dev/fdset/1',
    ]);
    expect(valuesOf(cmd.args, '-device')).toContain('{"driver":"tpm-crb","tpmdev":"tpm-tpm0","id":"tpm0"}');
  });
});

describe('host NUMA nodes', () => {
  const top = (nodeset: string) => `<vcpu>1</vcpu><numatune><memory mode='strict' nodeset='${nodeset}'/></numatune>`;
  const hostNumaNodes = [0, 1].map((id) => ({ id, cpus: [id] }));

  it('refuses a numatune node set naming a node the host lacks', () => {
    expect(() => build('', { hostNumaNodes }, top('1,5'))).toThrow('NUMA node 5 is unavailable');
  });

  it('accepts nodes the host has', () => {
    expect(valuesOf(build('', { hostNumaNodes }, top('0-1')).args, '-object').join()).toContain('"host-nodes":[0,1]');
  });
});

describe('firmware at start-up', () => {
  it('refuses to build a guest whose automatic firmware selection found nothing', () => {
    const xml = `<domain type='qemu'><name>g</name><memory unit='KiB'>65536</memory>
      <os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type><loader readonly='no'/></os></domain>`;
    // The definition itself is kept (post-parse is lenient) ...
    const def = parseQemuDomainXml(xml, caps, { config: { firmwareDirs: [] } });
    // ... but it cannot start.
    expect(() => buildQemuCommandLine(def, caps, baseCtx)).toThrow(
      "operation failed: Unable to find 'efi' firmware that is compatible with the current configuration",
    );
  });
});

describe('USB controller models', () => {
  it("refuses a model whose device this QEMU binary lacks, with libvirt's message", () => {
    expect(() => build("<controller type='usb' index='0' model='nec-xhci'/>")).toThrow(
      "unsupported configuration: USB controller model 'nec-xhci' not supported in this QEMU binary",
    );
    const withNec = new Set([...caps.flags, 'nec-usb-xhci']);
    expect(() => build("<controller type='usb' index='0' model='nec-xhci'/>", {}, undefined, withNec)).not.toThrow();
  });
});

describe('more devices and checks', () => {
  it('serves an MTP filesystem as a usb-mtp device on the next free port', () => {
    const cmd = build(`<controller type='usb' index='0' model='piix3-uhci'/>
    <filesystem type='mount'><driver type='mtp'/><source dir='/srv/x'/><target dir='share'/><readonly/></filesystem>`);
    expect(valuesOf(cmd.args, '-device')).toContain(
      '{"driver":"usb-mtp","id":"fs0","rootdir":"/srv/x","desc":"share","readonly":true,"bus":"usb.0","port":"1"}',
    );
    expect(cmd.args).not.toContain('-fsdev');
  });

  it('reads a FAT folder image through a raw format layer over vvfat', () => {
    const cmd = build(`<disk type='dir' device='floppy'><driver name='qemu' type='fat'/>
      <source dir='/srv/files'/><target dev='fda' bus='fdc'/><readonly/></disk>`);
    const nodes = valuesOf(cmd.args, '-blockdev').map((a) => JSON.parse(a));
    expect(nodes[0]).toMatchObject({ driver: 'vvfat', dir: '/srv/files', floppy: true });
    expect(nodes[1]).toMatchObject({ driver: 'raw', file: 'libvirt-1-storage' });
  });

  it('wants a NUMA node for memory hotplug on x86', () => {
    const top = "<maxMemory slots='4' unit='KiB'>1048576</maxMemory><vcpu>1</vcpu>";
    expect(() => build('', {}, top)).toThrow(
      'At least one numa node has to be configured when enabling memory hotplug',
    );
  });
});

describe('launch security', () => {
  it('gives an SEV-SNP guest its sev-snp-guest object and points the machine at it', () => {
    const top = `<vcpu>1</vcpu>
  <launchSecurity type='sev-snp' authorKey='yes' vcek='no'>
    <cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits><policy>0x00030000</policy>
    <hostData>aG9zdA==</hostData>
  </launchSecurity>`;
    const cmd = build('', {}, top);
    expect(valuesOf(cmd.args, '-machine')[0]).toContain(',confidential-guest-support=lsec0');
    expect(valuesOf(cmd.args, '-object').map((a) => JSON.parse(a))).toContainEqual({
      'qom-type': 'sev-snp-guest',
      id: 'lsec0',
      cbitpos: 47,
      'reduced-phys-bits': 1,
      policy: 196608,
      'host-data': 'aG9zdA==',
      'author-key-enabled': true,
      'vcek-disabled': true,
    });
  });

  it('writes SEV blobs as files in the domain dir', () => {
    const top = `<vcpu>1</vcpu>
  <launchSecurity type='sev' kernelHashes='yes'>
    <cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits><policy>0x0001</policy><dhCert>AAAA</dhCert>
  </launchSecurity>`;
    const obj = valuesOf(build('', {}, top).args, '-object')
      .map((a) => JSON.parse(a))
      .find((o) => o['qom-type'] === 'sev-guest');
    expect(obj).toEqual({
      'qom-type': 'sev-guest',
      id: 'lsec0',
      cbitpos: 47,
      'reduced-phys-bits': 1,
      policy: 1,
      'dh-cert-file': '/srv/lib/domain-3-g/dh_cert.base64',
      'kernel-hashes': true,
    });
  });
});

describe('USB placement order', () => {
  it('places hubs, then host USB devices, then CCID controllers, then inputs', () => {
    const cmd = build(`<controller type='usb' index='0' model='piix3-uhci'/>
    <controller type='ccid' index='0'/>
    <input type='tablet' bus='usb'/>
    <hostdev mode='subsystem' type='usb' managed='yes'><source><address bus='14' device='6'/></source></hostdev>
    <hub type='usb'/>`);
    const ports = valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .filter((d) => d.bus === 'usb.0')
      .map((d) => `${d.driver}@${d.port}`);
    expect(ports.sort()).toEqual(['usb-ccid@1.1', 'usb-host@2', 'usb-hub@1', 'usb-tablet@1.2']);
  });
});

describe('disk filter layers and reservations', () => {
  it('puts a copy-on-read node on top of a disk with copy_on_read', () => {
    const cmd = build(`<disk type='file' device='disk'><driver name='qemu' type='qcow2' copy_on_read='on'/>
      <source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/></disk>`);
    const nodes = valuesOf(cmd.args, '-blockdev').map((a) => JSON.parse(a));
    expect(nodes[2]).toEqual({
      driver: 'copy-on-read',
      'node-name': 'libvirt-CoR-vda',
      file: 'libvirt-1-format',
      discard: 'unmap',
    });
    expect(valuesOf(cmd.args, '-device').join()).toContain('"drive":"libvirt-CoR-vda"');
  });

  it('routes SCSI reservations through the managed or the given pr-helper', () => {
    const cmd = build(`<controller type='scsi' index='0' model='virtio-scsi'/>
    <disk type='block' device='lun'><driver name='qemu' type='raw'/>
      <source dev='/dev/a'><reservations managed='yes'/></source><target dev='sda' bus='scsi'/></disk>
    <disk type='block' device='lun'><driver name='qemu' type='raw'/>
      <source dev='/dev/b'><reservations managed='no'><source type='unix' path='/run/pr.sock' mode='client'/></reservations></source>
      <target dev='sdb' bus='scsi'/></disk>`);
    const objects = valuesOf(cmd.args, '-object').map((a) => JSON.parse(a));
    expect(objects).toContainEqual({
      'qom-type': 'pr-manager-helper',
      id: 'pr-helper0',
      path: '/srv/lib/domain-3-g/pr-helper0.sock',
    });
    expect(objects).toContainEqual({
      'qom-type': 'pr-manager-helper',
      id: 'pr-helper-libvirt-1-storage',
      path: '/run/pr.sock',
    });
    const storage = valuesOf(cmd.args, '-blockdev').map((a) => JSON.parse(a));
    expect(storage.map((n) => n['pr-manager'])).toEqual(['pr-helper0', 'pr-helper-libvirt-1-storage']);
  });
});

describe('NUMA cells on machine types that accept -numa mem=', () => {
  const top = (extra: string) => `<memoryBacking><allocation mode='immediate'/></memoryBacking>${extra}
  <vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='65536' unit='KiB'/></numa></cpu>`;

  it('sizes a plain cell with mem= and preallocates with -mem-prealloc', () => {
    const cmd = build('', {}, top(''));
    expect(cmd.args).toContain('-mem-prealloc');
    expect(valuesOf(cmd.args, '-numa')).toEqual(['node,nodeid=0,cpus=0-1,mem=64']);
  });

  it('keeps a memory backend when the cell needs one', () => {
    const cmd = build('', {}, top("<numatune><memory mode='strict' nodeset='0'/></numatune>"));
    expect(valuesOf(cmd.args, '-numa')).toEqual(['node,nodeid=0,cpus=0-1,memdev=ram-node0']);
  });
});

describe('vhost-user disks', () => {
  it('connects a vhost-user-blk device to the daemon socket through a chardev', () => {
    const cmd = build(`<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/>
      <source type='unix' path='/tmp/vu.sock'><reconnect enabled='yes' timeout='10'/></source>
      <target dev='vda' bus='virtio'/></disk>`);
    expect(valuesOf(cmd.args, '-chardev')).toContain(
      'socket,id=chr-vu-virtio-disk0,path=/tmp/vu.sock,reconnect-ms=10000',
    );
    const dev = valuesOf(cmd.args, '-device')
      .map((a) => JSON.parse(a))
      .find((x) => x.driver === 'vhost-user-blk-pci');
    expect(dev).toMatchObject({ chardev: 'chr-vu-virtio-disk0', id: 'virtio-disk0' });
    expect(cmd.args).not.toContain('-blockdev');
  });
});
