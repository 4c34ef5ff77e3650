/**
 * Command sequences for memtune, blkiotune, numatune, domblkinfo, domtime and domfsinfo on
 * test:///default, shared by the in-process comparison (tests/cli) and the one through tsvirtd
 * (tests/daemon). `tuneCases(dir)` writes the domain files they use into `dir`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function tuneCases(dir: string): Record<string, string[]> {
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const DEVS = file(
    'devs.xml',
    `<domain type='test'>
    <name>devs</name>
    <uuid>44444444-2222-3333-4444-555555555555</uuid>
    <memory>1048576</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
      <disk type='file' device='disk'><source file='/var/lib/a.img'/><target dev='vda' bus='virtio'/></disk>
      <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdb' bus='virtio'/></disk>
      <disk type='network' device='disk'><source protocol='nbd' name='export'><host name='h' port='10809'/></source><target dev='vdc' bus='virtio'/></disk>
      <disk type='dir' device='disk'><source dir='/srv/d'/><target dev='hdd' bus='ide'/></disk>
    </devices>
  </domain>
  `,
  );
  const NODISK = file(
    'nodisk.xml',
    `<domain type='test'>
    <name>nodisk</name>
    <uuid>55555555-2222-3333-4444-555555555555</uuid>
    <memory>1048576</memory>
    <vcpu placement='auto'>1</vcpu>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='cdrom'><source file='/x.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>
    </devices>
  </domain>
  `,
  );

  return {
    memtune: [
      'memtune test',
      'memtune test --hard-limit 100M; memtune test; dumpxml test; dumpxml test --inactive',
      'memtune test --hard-limit 200000 --swap-hard-limit 100000; memtune test --min-guarantee 10',
      'memtune test --soft-limit abc; memtune test --hard-limit 1.5G; memtune test --hard-limit 10Q',
      'memtune test --hard-limit 99999999999999999999; memtune test --hard-limit 9999999999999999T',
      "memtune test --hard-limit ''; memtune test --hard-limit",
      'memtune test --soft-limit -1; memtune test --hard-limit 0; memtune test; memtune test --config',
      'memtune test --live --config; memtune test --current --live; memtune test --current --config',
      'memtune test --hard-limit 1GB --soft-limit 1b --swap-hard-limit 3kib; memtune test; dumpxml test',
      'memtune test --hard-limit 5 --swap-hard-limit 4 --soft-limit 3; memtune test --swap-hard-limit 4',
      'destroy test; memtune test --live; memtune test --hard-limit 5 --config; memtune test --config',
      'destroy test; memtune test --hard-limit 5; start test; memtune test; memtune test --config --soft-limit 7; memtune test --config; dumpxml test --inactive',
      `create ${NODISK}; memtune nodisk --config; memtune nodisk --hard-limit 1M; memtune nodisk`,
      'memtune nosuch',
    ],
    blkiotune: [
      'blkiotune test',
      'blkiotune test --weight 500; blkiotune test; blkiotune test --config; dumpxml test',
      "blkiotune test --weight 0; blkiotune test --weight -3; blkiotune test --weight abc; blkiotune test --weight ''",
      'blkiotune test --weight 99999999999',
      'blkiotune test --device-weights /dev/sda,500,/dev/sdb,300; blkiotune test; dumpxml test',
      'blkiotune test --device-weights /dev/sda,500,/dev/sdb; blkiotune test',
      'blkiotune test --device-weights /dev/sda,abc,/dev/sdb,3; blkiotune test',
      'blkiotune test --device-weights /dev/sda,5 --device-read-iops-sec /dev/sdb,x --weight 7; blkiotune test',
      'blkiotune test --device-weights /dev/sda,5,/dev/sdc,6; blkiotune test --device-weights /dev/sda,0 --device-read-bytes-sec /dev/sda,99999999999,/dev/sdc,0; blkiotune test; dumpxml test',
      "blkiotune test --device-weights ''; blkiotune test --device-weights /dev/a,0; blkiotune test",
      "blkiotune test --device-write-iops-sec '/dev/a, +5'; blkiotune test; blkiotune test --device-write-iops-sec /dev/a,4294967296",
      'blkiotune test --device-write-iops-sec /dev/a,5x; blkiotune test --live --config',
      'destroy test; blkiotune test --live; blkiotune test --device-write-bytes-sec /dev/b,9; blkiotune test',
    ],
    numatune: [
      'numatune test; numatune test --mode interleave',
      'numatune test --nodeset 0-1; numatune test; numatune test --config',
      'numatune test --mode interleave --nodeset 0 --config; numatune test --config; numatune test --live; dumpxml test --inactive',
      'numatune test --nodeset 0 --mode preferred; numatune test; numatune test --mode strict',
      'numatune test --mode 7; numatune test --mode bogus; numatune test --mode -1 --nodeset 0',
      'numatune test --mode 3 --nodeset 1; numatune test; dumpxml test',
      'numatune test --nodeset 0,^0; numatune test --nodeset x; numatune test --nodeset 16384',
      "numatune test --nodeset 5000; numatune test; numatune test --nodeset ''; numatune test --mode ''",
      'numatune test --mode 0x1 --nodeset 0; numatune test; numatune test --mode 010 --nodeset 0',
      'numatune test --live --config --nodeset 0; numatune test --live --config',
      'destroy test; numatune test --mode interleave --nodeset 2-3,^3; numatune test; start test; numatune test; numatune test --mode interleave; numatune test --mode strict',
      `destroy test; numatune test --live; create ${NODISK}; numatune nodisk --mode preferred; numatune nodisk; numatune nodisk --config`,
      'numatune test --nodeset 1-3,^2,8; numatune test; numatune nosuch',
    ],
    'domblkinfo, domtime, domfsinfo': [
      'domblkinfo test vda; domblkinfo test --all; domblkinfo test --all --human; domblkinfo test vda --human',
      `define ${DEVS}; domblkinfo devs --all; domblkinfo devs --all --human; domblkinfo devs hdc; domblkinfo devs /var/lib/a.img; domblkinfo devs vdc; domblkinfo devs hdd; domfsinfo devs`,
      "domblkinfo test; domblkinfo test vdz; domblkinfo test --all vda; domblkinfo test ''",
      'domblkinfo test --device vda --all',
      'destroy test; domblkinfo test vda; domtime test; domfsinfo test',
      `create ${NODISK}; domfsinfo nodisk; domblkinfo nodisk --all`,
      'domtime test; domfsinfo test; domtime test --time 12345; domtime test; domtime test --pretty; domcontrol test',
      'domtime test --sync; domtime test; domtime test --time 1 --now; domtime test --sync --now',
      'domtime test --time abc; domtime test --time 99999999999999999999',
      'domtime test --time -5; domtime test --pretty',
      'suspend test; domtime test; domtime test --time 40001; domcontrol test; resume test; domtime test',
      'domfsinfo nosuch; domtime nosuch; domblkinfo nosuch vda',
    ],
    help: ['help memtune; help blkiotune; help numatune', 'help domblkinfo; help domtime; help domfsinfo'],
  };
}
