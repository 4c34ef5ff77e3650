/**
 * The same command sequences through libvirt's own `virsh -c test:///default` and through
 * tsvirsh: stdout, stderr and the exit status must be identical, byte for byte. Each sequence
 * is a fresh process, so test:///default starts from its default objects every time, for both.
 * Masked: the `CPU time:` line (the test driver reports the wall clock) and, where a case says
 * so, UUIDs generated for new objects.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunResult, runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirsh-compat-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const PORT1 = file(
  'port1.xml',
  `<networkport>
  <uuid>5d744f21-ba4a-4d6e-bdb2-30a35ff3207d</uuid>
  <owner><name>a</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>
  <mac address='52:54:00:7b:35:93'/>
</networkport>
`,
);
const DOM2 = file(
  'dom2.xml',
  `<domain type='test'>
  <name>dom2</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory>1048576</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
`,
);
const DOM3 = file(
  'dom3.xml',
  `<domain type='test'>
  <name>dom3</name>
  <uuid>33333333-2222-3333-4444-555555555555</uuid>
  <title>Third guest</title>
  <memory unit='MiB'>512</memory>
  <currentMemory unit='MiB'>256</currentMemory>
  <vcpu>2</vcpu>
  <os><type arch='i686'>hvm</type></os>
</domain>
`,
);
const DOM_NOUUID = file(
  'dom4.xml',
  `<domain type='test'>
  <name>dom4</name>
  <memory>524288</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
`,
);
const DOM_DEVICES = file(
  'devices.xml',
  `<domain type='test'>
  <name>devs</name>
  <uuid>44444444-2222-3333-4444-555555555555</uuid>
  <memory>1048576</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/a.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
    <disk type='network' device='disk'><source protocol='nbd' name='export'><host name='h' port='10809'/></source><target dev='vdc' bus='virtio'/></disk>
    <disk type='dir' device='disk'><source dir='/srv/d'/><target dev='hdd' bus='ide'/></disk>
    <interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/><model type='virtio'/></interface>
    <interface type='user'><mac address='52:54:00:00:00:02'/></interface>
    <interface type='network'><mac address='52:54:00:00:00:03'/><source network='default'/><target dev='vnet7'/><model type='e1000'/></interface>
    <interface type='network'><mac address='52:54:00:00:00:04'/><source network='default'/><target dev='mytap'/></interface>
  </devices>
</domain>
`,
);
const DOM_NO_OS = file('no-os.xml', `<domain type='test'><name>x</name><memory>1024</memory></domain>\n`);
const NOT_XML = file('junk.xml', 'junk\n');
const NET2 = file(
  'net2.xml',
  `<network>
  <name>net2</name>
  <uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>
  <bridge name='virbr5'/>
  <ip address='192.168.50.1' netmask='255.255.255.0'/>
</network>
`,
);
const POOL2 = file(
  'pool2.xml',
  `<pool type='dir'>
  <name>pool2</name>
  <uuid>12345678-1234-1234-1234-123456789abc</uuid>
  <target><path>/pool2</path></target>
</pool>
`,
);
const VOL1 = file(
  'vol1.xml',
  `<volume>
  <name>vol1</name>
  <capacity unit='M'>10</capacity>
</volume>
`,
);
const TEST_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';
const NET_UUID = 'dd8fe884-6c02-601e-7551-cca97df1c5df';
const POOL_UUID = 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566';

interface Case {
  /** Arguments after `-c test:///default` (or all arguments with `raw`). */
  args: string[];
  stdin?: string;
  raw?: boolean;
  /** Mask every UUID (for objects defined without one). */
  maskUuids?: boolean;
  /** Interactive sessions print the program's name: compare with it replaced. */
  interactive?: boolean;
  /** Mask creation times (a second may tick between the two runs). */
  maskTimes?: boolean;
}

const seq = (line: string, extra: Partial<Case> = {}): Case => ({ args: [line], ...extra });
const argv = (...args: string[]): Case => ({ args });

const CASES: Record<string, Case[]> = {
  host: [
    seq('uri'),
    seq('hostname'),
    seq('version'),
    seq('version --daemon'),
    seq('nodeinfo'),
    seq('capabilities'),
    seq('maxvcpus'),
    seq('uri; hostname; nodeinfo'),
  ],
  'domain listing': [
    seq('list'),
    seq('list --all'),
    seq('list --inactive'),
    seq('list --name'),
    seq('list --uuid'),
    seq('list --id'),
    seq('list --uuid --name --id --all'),
    seq('list --table --name'),
    seq('list --table --id'),
    seq('list --all --uuid --table'),
    seq('list --all --title'),
    seq('list --state-running; list --state-shutoff; list --state-paused; list --state-other'),
    seq('list --persistent; list --transient; list --autostart; list --no-autostart'),
    seq(
      'list --with-snapshot; list --without-snapshot; list --with-managed-save; list --without-managed-save; list --managed-save --all',
    ),
    seq('list --all --all'),
    seq('list --all=yes'),
  ],
  'domain information': [
    seq('dominfo test'),
    seq('dominfo 1'),
    seq(`dominfo ${TEST_UUID}`),
    seq("dominfo ' 1'"),
    seq('dominfo +1'),
    seq('domstate test; domstate test --reason; domstate 1'),
    seq('domid test; domid 1'),
    seq(`domname 1; domname ${TEST_UUID}; domname test`),
    seq(`domuuid test; domuuid 1; domuuid ${TEST_UUID}`),
    seq(
      'domhostname test; domhostname test --source lease; domhostname test --source agent; destroy test; domhostname test',
    ),
    seq('domhostname test --source foo'),
    seq('domhostname nosuch'),
    seq('domcontrol test; destroy test; domcontrol test'),
    seq('domcontrol nosuch'),
    seq('dommemstat test; destroy test; dommemstat test'),
    seq('dommemstat nosuch'),
    seq(`domid ${TEST_UUID}`),
    seq('dumpxml test'),
    seq('dumpxml 1 --inactive'),
    seq('dumpxml test --security-info'),
    seq('dumpxml test --migratable'),
    seq("dominfo ''"),
  ],
  'domain life cycle': [
    seq(
      `define ${DOM2}; list --all; list --inactive --name; dominfo dom2; domstate dom2 --reason; domid dom2; start dom2; ` +
        'domstate dom2 --reason; dominfo dom2; list; suspend dom2; domstate dom2 --reason; list --state-paused; ' +
        'resume dom2; domstate dom2 --reason; shutdown dom2; domstate dom2 --reason; start dom2; reboot dom2; ' +
        'domstate dom2 --reason; destroy dom2; domstate dom2 --reason; autostart dom2; list --autostart --all; ' +
        'dominfo dom2; autostart dom2 --disable; undefine dom2; list --all',
    ),
    seq(`define ${DOM2}; dumpxml dom2; dumpxml dom2 --inactive; start dom2; dumpxml dom2`),
    seq(`create ${DOM3}; list --all; list --title; dominfo dom3; dumpxml dom3; destroy dom3; list --all`),
    seq(`create ${DOM3}; autostart dom3; undefine dom3`),
    seq(`define ${DOM_NOUUID}; list --all --uuid; domuuid dom4`, { maskUuids: true }),
    seq('destroy 1; start 6695eb01-f6a4-8304-79aa-97f2502e193f; suspend 2; resume 2; reboot 2; shutdown 2'),
    seq('undefine test; list --all; list --transient; destroy test; list --all'),
    seq(`define ${DOM2}; start dom2; define ${DOM2}; dumpxml dom2 --inactive; destroy dom2; dumpxml dom2`),
  ],
  'domain errors': [
    seq('dominfo nosuch'),
    seq('start test'),
    seq('start 1'),
    seq('destroy nosuch'),
    seq('suspend test; suspend test; resume test; resume test'),
    seq(
      `define ${DOM2}; destroy dom2; shutdown dom2; reboot dom2; resume dom2; suspend dom2; undefine dom2; undefine dom2`,
    ),
    seq('define /nonexist'),
    seq(`define ${dir}`),
    seq('create /nonexist'),
    seq(`define ${DOM_NO_OS}`),
    seq(`create ${DOM_NO_OS}`),
    seq(`define ${NOT_XML}`),
    seq(`define ${DOM2}; define ${DOM2}; create ${DOM2}`),
    seq('shutdown test --mode acpi'),
    seq('shutdown test --mode bogus'),
    seq('dumpxml test --xpath'),
    seq('undefine test --storage vda'),
  ],
  parsing: [
    seq('foo'),
    seq('nosuch test'),
    seq('dominfo'),
    seq('dominfo test --bogus'),
    seq('domxml-to-native qemu-argv'),
    seq(`domxml-to-native qemu-argv --domain test --xml ${DOM2}`),
    seq('domxml-to-native qemu-argv --domain test'),
    seq('domxml-to-native qemu-argv --xml /nonexistent.xml'),
    seq('domxml-to-native qemu-argv test'),
    seq('console nosuch; destroy test; console test; console'),
    seq('domid test extra'),
    seq('domid --domain test'),
    seq('domid --domain=test'),
    seq('domid --domain'),
    seq('domid -- test'),
    seq('domid --'),
    seq('domid -- --domain'),
    seq('domid --1'),
    seq('domid ---x'),
    seq('domid -test'),
    seq('domid test --domain test'),
    seq('domid test; foo'),
    seq('foo; domid test'),
    seq('domid test; dominfo'),
    seq('dominfo nosuch; domid test'),
    seq('domid test; dominfo nosuch'),
    seq('domid test; quit; domid test'),
    seq('dominfo nosuch; exit'),
    seq('domid "test'),
    seq("domid 'test"),
    seq('domid test\\'),
    seq('domid te\\st'),
    seq('domid test # comment'),
    seq('domid test#x'),
    seq('#x; domid test'),
    seq('domid test\ndomid test'),
    seq(' ; ; domid test ;'),
    seq('domid "te"st'),
    seq("domid 'te st'"),
    seq('   '),
    argv(''),
    argv('domid', 'test'),
    argv('dominfo', '--domain', 'test'),
    argv('domid', 'test', ';', 'domid', 'test'),
    argv('domid', 'te st'),
    seq('echo a "b c" --shell \'d;e\' "" x\'y'),
    seq('echo --xml "<a>&"; echo --split a,b,,c'),
    seq('vol-info a b c'),
    seq('dominfo --help'),
  ],
  help: [
    ...[
      'list',
      'dominfo',
      'domstate',
      'domid',
      'domname',
      'domuuid',
      'dumpxml',
      'define',
      'undefine',
      'create',
      'start',
      'destroy',
      'shutdown',
      'reboot',
      'suspend',
      'resume',
      'autostart',
      'net-list',
      'net-info',
      'net-dumpxml',
      'net-define',
      'net-undefine',
      'net-start',
      'net-destroy',
      'net-autostart',
      'net-create',
      'net-name',
      'net-uuid',
      'net-port-list',
      'net-port-create',
      'net-port-dumpxml',
      'net-port-delete',
      'pool-list',
      'pool-info',
      'pool-dumpxml',
      'pool-define',
      'pool-create',
      'pool-start',
      'pool-destroy',
      'pool-undefine',
      'pool-autostart',
      'pool-name',
      'pool-uuid',
      'vol-list',
      'vol-info',
      'vol-dumpxml',
      'vol-create',
      'vol-create-as',
      'vol-delete',
      'vol-path',
      'vol-key',
      'vol-name',
      'vol-pool',
      'capabilities',
      'version',
      'hostname',
      'nodeinfo',
      'uri',
      'maxvcpus',
      'connect',
      'quit',
      'exit',
      'help',
      'echo',
    ].map((c) => seq(`help ${c}`)),
    seq('help nosuch'),
    seq('help list extra'),
    argv('-q', 'help', 'domid'),
  ],
  'quiet and read-only': [
    argv('-q', 'list'),
    argv('-q', 'list --all; dominfo test'),
    argv('-q', `define ${DOM2}; start dom2; list --all; destroy dom2; undefine dom2`),
    argv('-q', 'net-list --all; pool-list; pool-list --details; vol-list default-pool'),
    argv('-q', 'dominfo nosuch; domid test'),
    argv('-r', 'destroy test'),
    argv('-r', `define ${DOM2}`),
    argv('-r', `create ${DOM2}`),
    argv('-r', 'start test; shutdown test; reboot test; suspend test; resume test; undefine test'),
    argv('-r', 'autostart test; autostart test --disable'),
    argv('-r', 'dumpxml test --security-info'),
    argv('-r', 'list; domstate test; dominfo test; uri'),
    argv('-r', `net-define ${NET2}`),
    argv('-r', `net-create ${NET2}`),
    argv(
      '-r',
      'net-start default; net-destroy default; net-undefine default; net-autostart default; net-autostart default --disable',
    ),
    argv('-r', `pool-define ${POOL2}`),
    argv('-r', `pool-create ${POOL2}`),
    argv(
      '-r',
      'pool-start default-pool; pool-destroy default-pool; pool-undefine default-pool; pool-autostart default-pool',
    ),
    argv('-r', `vol-create default-pool ${VOL1}`),
    argv('-r', 'vol-create-as default-pool v 1M'),
    argv('-q', '-r', 'destroy test'),
  ],
  networks: [
    seq('net-list'),
    seq('net-list --all; net-list --inactive; net-list --name; net-list --uuid; net-list --table'),
    seq('net-list --name --uuid'),
    seq('net-list --table --name'),
    seq('net-list --persistent; net-list --transient; net-list --autostart; net-list --no-autostart'),
    seq('net-info default'),
    seq(`net-info ${NET_UUID}`),
    seq('net-dumpxml default'),
    seq('net-dumpxml default --inactive'),
    seq(`net-name ${NET_UUID}; net-uuid default; net-name default; net-uuid ${NET_UUID}`),
    seq('net-info nosuch'),
    seq(
      `net-define ${NET2}; net-list; net-list --all; net-list --inactive; net-list --name --all; net-list --uuid --all; ` +
        'net-info net2; net-start net2; net-start net2; net-autostart net2; net-list --autostart; ' +
        'net-autostart net2 --disable; net-dumpxml net2; net-destroy net2; net-destroy net2; net-undefine net2; ' +
        'net-undefine net2; net-info net2',
    ),
    seq(`net-create ${NET2}; net-list --transient; net-info net2; net-destroy net2; net-list --all`),
    seq(`net-define ${NET2}; net-define ${NET2}; net-create ${NET2}`),
    seq('net-define /nonexist; net-create /nonexist'),
    seq(`net-autostart ${NET_UUID}; net-destroy ${NET_UUID}; net-start ${NET_UUID}; net-undefine ${NET_UUID}`),
    seq('net-destroy default; net-undefine default; net-list --all'),
  ],
  // net-update on the test driver's default network: live, config, current, refusals.
  'network updates': [
    seq(
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:01' name='a' ip='192.168.122.10'/>" --live --config; ` +
        `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:01' name='b' ip='192.168.122.11'/>"; ` +
        `net-update default add dns-host "<host ip='192.168.122.5'><hostname>x</hostname></host>" --live; ` +
        'net-dumpxml default; net-dumpxml default --inactive',
    ),
    seq(
      `net-destroy default; net-update default add ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.254'/>" --live; ` +
        `net-update default delete ip-dhcp-host "<host mac='52:54:00:00:00:01'/>"; ` +
        `net-update default add-first ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.9'/>"; net-dumpxml default`,
    ),
    seq(
      `net-update default modify bridge "<bridge name='x'/>" --config; net-update default add portgroup "<portgroup name='p' default='yes'/>" --current --live; ` +
        `net-update default add portgroup "<portgroup name='p' default='yes'/>"; net-update default add portgroup "<portgroup name='q' default='yes'/>"; ` +
        `net-update default add txt "<txt/>"; net-update default frob dns-txt "<txt name='a' value='b'/>"`,
    ),
    argv('-q', `net-update default add dns-txt "<txt name='a' value='b'/>"; net-dumpxml default`),
    seq(`net-create ${NET2}; net-update net2 add dns-txt "<txt name='a' value='b'/>" --config`),
  ],
  // The test driver has no network ports: the commands' own wording around its refusals.
  'network ports': [
    seq('net-port-list default'),
    seq('net-port-list default --uuid --table'),
    seq('net-port-list nosuch'),
    seq(`net-port-create default ${PORT1}`),
    seq('net-port-create default /nonexist'),
    seq('net-port-dumpxml default 5d744f21-ba4a-4d6e-bdb2-30a35ff3207d'),
    seq('net-port-delete default 5d744f21-ba4a-4d6e-bdb2-30a35ff3207d'),
  ],
  pools: [
    seq('pool-list'),
    seq('pool-list --all; pool-list --details; pool-list --name; pool-list --uuid; pool-list --uuid --name'),
    seq('pool-list --all --inactive'),
    seq('pool-list --details --name'),
    seq('pool-list --type dir; pool-list --type fs; pool-list --type bogus'),
    seq('pool-list --persistent; pool-list --transient; pool-list --autostart; pool-list --no-autostart'),
    seq('pool-info default-pool'),
    seq('pool-info default-pool --bytes'),
    seq(`pool-info ${POOL_UUID}`),
    seq('pool-dumpxml default-pool'),
    seq('pool-info nosuch'),
    seq(`pool-name ${POOL_UUID}; pool-uuid default-pool`),
    seq(
      `pool-define ${POOL2}; pool-list --all --details; pool-list --inactive; pool-info pool2; vol-list pool2; ` +
        'pool-start pool2; pool-list --details; pool-info pool2; pool-autostart pool2; pool-list --autostart; ' +
        'pool-autostart pool2 --disable; pool-destroy pool2; pool-destroy pool2; pool-undefine pool2; pool-info pool2',
    ),
    seq(`pool-create ${POOL2}; pool-list --transient --details; pool-destroy pool2; pool-list --all`),
    seq(
      'pool-destroy default-pool; pool-info default-pool; pool-list --all; vol-list default-pool; pool-undefine default-pool; pool-list --all',
    ),
    seq('pool-define /nonexist'),
  ],
  volumes: [
    seq('vol-list default-pool; vol-list default-pool --details'),
    seq(
      `vol-create default-pool ${VOL1}; vol-create-as default-pool vol2 1G; vol-list default-pool; ` +
        'vol-list default-pool --details; vol-info vol1 --pool default-pool; vol-info /default-pool/vol1; ' +
        'vol-info /default-pool/vol2 --bytes; vol-dumpxml vol1 --pool default-pool; vol-dumpxml /default-pool/vol2; ' +
        'vol-path vol1 default-pool; vol-key vol1 --pool default-pool; vol-name /default-pool/vol1; ' +
        'vol-pool /default-pool/vol1; vol-pool /default-pool/vol1 --uuid; pool-list --details; pool-info default-pool; ' +
        'vol-delete vol1 default-pool; vol-delete vol1 default-pool; vol-list default-pool',
    ),
    seq('vol-info nosuch --pool default-pool; vol-info nosuch; vol-dumpxml nosuch; vol-info x --pool nosuch'),
    seq(
      'vol-create-as default-pool v1 10M --allocation 1M --format qcow2 --print-xml; vol-create-as default-pool v1 10X; ' +
        'vol-create-as default-pool v1 1.5G; vol-create-as default-pool v1 1500k; vol-info v1 default-pool; ' +
        'vol-create-as default-pool v1 1M',
    ),
    seq(`pool-define ${POOL2}; vol-list pool2; vol-info a --pool pool2`),
    seq('vol-create default-pool /nonexist'),
  ],
  'device lists': [
    seq('sysinfo; domblklist test; domblklist test --details; domblklist test --inactive; domiflist test'),
    seq(`define ${DOM_DEVICES}; domblklist devs; domblklist devs --details; domiflist devs; domiflist devs --inactive`),
    seq(`create ${DOM_DEVICES}; domiflist devs; dumpxml devs --inactive`),
    seq('domblklist nosuch; domiflist; domblklist test --bogus; sysinfo extra'),
  ],
  snapshots: [
    // A tree: s1 with children s2, s3 (and s3's child s4) and b0; the current one is b0.
    ...[
      '--tree',
      '--name; snapshot-list test --roots --name; snapshot-list test --leaves --name; snapshot-list test --no-leaves --name',
      '--from s1 --name; snapshot-list test --from s1 --descendants --name; snapshot-list test --current --name',
      '--from s1 --tree; snapshot-list test --from s1 --tree --descendants; snapshot-list test --from s3 --tree',
      '--current --tree; snapshot-list test --topological --name; snapshot-list test --tree --topological',
      '--parent; snapshot-list test --from s1 --parent; snapshot-list test --active --parent --topological',
      '--inactive; snapshot-list test --disk-only; snapshot-list test --external; snapshot-list test --internal --name',
      '--metadata --name; snapshot-list test --no-metadata; snapshot-list test --leaves --no-leaves',
      '--tree --name; snapshot-list test --parent --roots; snapshot-list test --tree --parent',
      '--roots --from s1; snapshot-list test --roots --current; snapshot-list test --leaves --tree',
      '--external --tree; snapshot-list test --descendants; snapshot-list test --current --from s1',
      '--from s9; snapshot-list nosuch --name; snapshot-list test --from s2 --leaves',
    ].map((q) =>
      seq(
        'snapshot-create-as test s1; snapshot-create-as test s2; snapshot-revert test s1; ' +
          'snapshot-create-as test s3; snapshot-create-as test s4; snapshot-revert test s1; ' +
          `snapshot-create-as test b0; snapshot-list test ${q}`,
        { maskTimes: true },
      ),
    ),
    seq('snapshot-list test --current; snapshot-list test --tree; snapshot-list test --descendants --current'),
    seq('snapshot-create-as test a; snapshot-create-as test b --print-xml', { maskTimes: true }),
    { args: ['-c', 'test:///default', '-q', 'snapshot-create-as test a; snapshot-list test --name'], raw: true },
  ],
  'connection and options': [
    seq('connect test:///default; domid test'),
    seq('connect test:///; domid test'),
    seq('connect test:///default --readonly; destroy test'),
    { args: ['-c', 'test:///', 'list'], raw: true },
    { args: ['-c', 'test:///default', '--bogus'], raw: true },
    { args: ['-x'], raw: true },
    { args: ['-c'], raw: true },
    { args: ['--connect=test:///default', 'domid', 'test'], raw: true },
    { args: ['-ctest:///default', 'domid', 'test'], raw: true },
    { args: ['-c', 'test:///default', '-q', '-r', 'domid', 'test'], raw: true },
    { args: ['-c', 'test:///default', 'foo'], raw: true },
  ],
  interactive: [
    { args: [], stdin: 'domid test\nfoo\ndominfo nosuch\n\nlist\n', interactive: true },
    { args: [], stdin: 'domid test\nquit\ndomid test\n', interactive: true },
    { args: ['-q'], stdin: 'domid test\nexit\n', interactive: true },
    { args: ['-q'], stdin: 'domid test\n', interactive: true },
    { args: ['-q'], stdin: '', interactive: true },
    { args: ['-q', '-r'], stdin: 'domid test\ndestroy test\n', interactive: true },
    { args: [], stdin: 'domid test; dominfo nosuch', interactive: true },
    { args: ['-q'], stdin: '   \n#c\n  domid test  \ndomid "test\n', interactive: true },
  ],
};

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function normalize(r: RunResult, c: Case, isTsvirsh: boolean): RunResult {
  const fix = (s: string): string => {
    let out = s.replace(/^(CPU time:\s+).*$/gm, '$1<masked>');
    if (c.maskUuids) out = out.replace(UUID_RE, '<uuid>');
    if (c.maskTimes) out = out.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>');
    if (c.interactive && isTsvirsh)
      out = out.replace(/^Welcome to tsvirsh,/gm, 'Welcome to virsh,').replace(/tsvirsh ([#>]) /g, 'virsh $1 ');
    return out;
  };
  return { stdout: fix(r.stdout), stderr: fix(r.stderr), status: r.status };
}

const hasVirsh = virshAvailable();
if (!hasVirsh)
  console.warn(
    'tests/cli/virsh-compat: `virsh` is not installed (Debian package libvirt-clients); skipping the comparison with it',
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasVirsh)('tsvirsh matches virsh on test:///default', () => {
  for (const [group, cases] of Object.entries(CASES)) {
    describe.concurrent(group, () => {
      for (const c of cases) {
        const args = c.raw ? c.args : ['-c', 'test:///default', ...c.args];
        const title = `${args.map((a) => JSON.stringify(a)).join(' ')}${c.stdin !== undefined ? ` <<< ${JSON.stringify(c.stdin)}` : ''}`;
        it(title, async () => {
          const [expected, actual] = await Promise.all([runVirsh(args, c.stdin), runTsvirsh(args, c.stdin)]);
          expect(normalize(actual, c, true)).toEqual(normalize(expected, c, false));
        });
      }
    });
  }
});
